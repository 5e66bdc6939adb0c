// Loads the project's kiln.config.{json,ts,js}, validates it against the shared schema and turns
// every problem into a KilnError that names the file and the key. TS/JS configs are evaluated
// with jiti, loaded only when such a file exists so `kiln dockerfile` stays fast.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { KilnConfig } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import { defaultConfig } from './defaults';

const CONFIG_FILES = ['kiln.config.json', 'kiln.config.ts', 'kiln.config.js'] as const;

const SCHEMA_MODULE = join(__dirname, '..', '..', 'contract', 'config-schema');

async function evaluateModule(path: string, file: string): Promise<unknown> {
  const { createJiti } = await import('jiti');
  // `import { defineConfig } from 'kiln/config'` resolves to this kiln's own schema module.
  const jiti = createJiti(__filename, {
    alias: { 'kiln/config': SCHEMA_MODULE },
    moduleCache: false,
    fsCache: false,
  });
  try {
    return await jiti.import(path, { default: true });
  } catch (error) {
    throw new KilnError(
      `${file} failed to load: ${(error as Error).message.split('\n')[0]}`,
      `Fix ${file}; it should \`export default defineConfig({ ... })\`.`,
    );
  }
}

async function readRaw(path: string, file: string): Promise<unknown> {
  if (!file.endsWith('.json')) return evaluateModule(path, file);
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new KilnError(
      `${file} is not valid JSON: ${(error as Error).message}`,
      `Fix ${file} and run again.`,
    );
  }
}

export function validateConfig(raw: unknown, file: string): KilnConfig {
  // Loaded here, not at the top: projects without a config file never pay for zod.
  const { kilnConfigSchema } =
    require('../../contract/config-schema') as typeof import('../../contract/config-schema');
  const { describeIssues } = require('./issues') as typeof import('./issues');
  const result = kilnConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = describeIssues(kilnConfigSchema, result.error.issues);
  throw new KilnError(
    problems.length === 1
      ? `${file}: ${problems[0]}`
      : `${file} has ${problems.length} problems:\n${problems.map((p) => `    - ${p}`).join('\n')}`,
    'See docs/config.md for every option, its default and its effect.',
  );
}

export async function loadConfig(projectDir: string): Promise<{ config: KilnConfig; source: string | null }> {
  const present = CONFIG_FILES.filter((file) => existsSync(join(projectDir, file)));
  if (present.length > 1) {
    throw new KilnError(
      `found ${present.join(' and ')}; kiln reads only one config file`,
      'Keep one of them and delete the others.',
    );
  }
  const file = present[0];
  if (file === undefined) return { config: defaultConfig(), source: null };
  const path = resolve(projectDir, file);
  return { config: validateConfig(await readRaw(path, file), file), source: path };
}
