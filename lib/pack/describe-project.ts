// The build description for a project: its resolved config, name, git facts and the kiln version.
// `kiln pack` and `kiln build` both use it, so the archive always says the same thing for a project.
import { basename, resolve } from 'node:path';
import type { KilnConfigInput } from '../../contract/config-schema';
import type { BuildDescription } from '../../contract/description';
import { loadConfig, validateConfig } from '../config/load';
import { readGitInfo } from '../git/git-info';
import { KILN_VERSION } from '../version';

/** Loads the project's config, applies command-line overrides (validated like the file) and reads git. */
export async function describeProject(
  projectDir: string,
  configOverrides?: KilnConfigInput,
  signal?: AbortSignal,
): Promise<BuildDescription> {
  const dir = resolve(projectDir);
  const [{ config, source }, git] = await Promise.all([loadConfig(dir, signal), readGitInfo(dir)]);
  // No override flags: the config is valid as loaded (a project without a config file then never loads zod).
  const resolved =
    configOverrides && Object.keys(configOverrides).length > 0
      ? validateConfig(deepMerge(config, configOverrides), overridesLabel(source))
      : config;
  return { kilnVersion: KILN_VERSION, name: resolved.name ?? basename(dir), config: resolved, git };
}

function overridesLabel(configFile: string | null): string {
  return configFile ? `the command-line flags (over ${basename(configFile)})` : 'the command-line flags';
}

/** Objects merge key by key; anything else (arrays included) in `override` replaces the base value. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
