// The e2e environment started by scripts/e2e/up.sh, read from .e2e/env. A missing or stopped
// environment fails the suite with the command to start it (never a silent skip).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runningE2eRegistry } from './registry';

export const ROOT = join(__dirname, '../../..');

export interface E2eEnvironment {
  /**
   * `127.0.0.1:<port>` of this file's recording registry (./registry.ts), in front of the one up.sh
   * started: images are named with it, so every registry call a build makes is IAM-checked.
   */
  registry: string;
  /** Variables for every docker and kiln process: DOCKER_HOST, KILN_DOCKER_NETWORK. */
  env: Record<string, string>;
}

/** What scripts/e2e/up.sh started: its registry (`127.0.0.1:<port>`) and the engine's variables. */
interface UpEnvironment {
  upstreamRegistry: string;
  env: Record<string, string>;
}

const START_HINT = 'Start it with `sudo scripts/e2e/up.sh` (see docs/e2e.md), then run `npm run test:e2e`.';

let cached: UpEnvironment | undefined;

export function e2eEnvironment(): E2eEnvironment {
  return { registry: runningE2eRegistry().address, env: upEnvironment().env };
}

/** .e2e/env, with the engine checked: fails with the command to start the environment. */
export function upEnvironment(): UpEnvironment {
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(join(ROOT, '.e2e/env'), 'utf8');
  } catch {
    throw new Error(`the e2e environment is not up (.e2e/env is missing). ${START_HINT}`);
  }
  const env = Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null)
      .map(([, name, value]) => [name as string, value as string]),
  );
  const upstreamRegistry = env.KILN_E2E_REGISTRY;
  if (!upstreamRegistry) throw new Error(`.e2e/env has no KILN_E2E_REGISTRY. ${START_HINT}`);
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      env: { ...process.env, ...env },
      stdio: 'pipe',
      timeout: 20_000,
    });
  } catch {
    throw new Error(`the e2e docker engine does not answer (${env.DOCKER_HOST}). ${START_HINT}`);
  }
  cached = { upstreamRegistry, env };
  return cached;
}
