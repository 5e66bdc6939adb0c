// A named AWS profile must exist before the SDK looks for credentials and a region in it: otherwise
// a typo in --profile or AWS_PROFILE surfaces as "no credentials" or "no region", far from the cause.
import { join } from 'node:path';
import { getHomeDir, loadSharedConfigFiles } from '@smithy/core/config';
import { KilnError } from '../../contract/errors';

export interface NamedProfile {
  name: string;
  /** Where the name came from, as the user wrote it: `--profile`, `AWS_PROFILE`, `remote.profile`. */
  source: string;
}

/** The profile the SDK will use, if one is named anywhere (`default` needs no file: env keys or a role do). */
export function namedProfile(
  flagOrConfig: NamedProfile | undefined,
  env: NodeJS.ProcessEnv,
): NamedProfile | undefined {
  if (flagOrConfig) return flagOrConfig;
  return env.AWS_PROFILE ? { name: env.AWS_PROFILE, source: 'AWS_PROFILE' } : undefined;
}

export async function assertProfileExists(profile: NamedProfile, env: NodeJS.ProcessEnv): Promise<void> {
  if (profile.name === 'default') return;
  const files = await loadSharedConfigFiles({ ignoreCache: true });
  const known = new Set([...Object.keys(files.configFile), ...Object.keys(files.credentialsFile)]);
  if (known.has(profile.name)) return;
  const configPath = env.AWS_CONFIG_FILE ?? join(getHomeDir(), '.aws', 'config');
  const credentialsPath = env.AWS_SHARED_CREDENTIALS_FILE ?? join(getHomeDir(), '.aws', 'credentials');
  const others = [...known].sort();
  throw new KilnError(
    `AWS profile "${profile.name}" (from ${profile.source}) does not exist (looked in ${configPath} and ${credentialsPath})`,
    `${others.length ? `Profiles found: ${others.join(', ')}. ` : 'No profiles found. '}Fix the name, or create it with \`aws configure --profile ${profile.name}\` (or \`aws configure sso --profile ${profile.name}\`).`,
  );
}
