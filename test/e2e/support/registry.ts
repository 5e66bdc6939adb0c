// The registry as an e2e test file sees it: a recording registry (test/helpers/iam/recording-registry.ts)
// in front of the one scripts/e2e/up.sh started, one per test file (e2eSuite starts and stops it).
// kiln's processes talk to it with the build role's credentials, so every push, pull and manifest
// read a build makes is checked against the build role like the AWS calls; the harness's own docker
// commands and fetches carry the harness's credentials and are not recorded. Each side gets a docker
// config of its own (DOCKER_CONFIG) holding its credentials for the registry's address.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  basicAuthorization,
  type RecordingRegistry,
  type RegistryClient,
  startRecordingRegistry,
} from '../../helpers/iam/recording-registry';

let running: { registry: RecordingRegistry; dir: string } | undefined;

export async function startE2eRegistry(upstream: string): Promise<void> {
  if (running) throw new Error('the e2e recording registry already runs for this file');
  const registry = await startRecordingRegistry(upstream);
  const dir = await mkdtemp(join(tmpdir(), 'kiln-e2e-registry-'));
  for (const client of ['build', 'harness'] as const) {
    const { username, password } = registry.credentials[client];
    const auth = Buffer.from(`${username}:${password}`).toString('base64');
    await mkdir(join(dir, client));
    await writeFile(
      join(dir, client, 'config.json'),
      JSON.stringify({ auths: { [registry.address]: { auth } } }),
    );
  }
  running = { registry, dir };
}

export function runningE2eRegistry(): RecordingRegistry {
  if (!running)
    throw new Error('no e2e registry runs: use e2eSuite() in the test file, and the registry inside tests');
  return running.registry;
}

/**
 * DOCKER_CONFIG for docker and kiln processes acting as `client` (empty while no registry runs: a
 * registry request then fails with 401 instead of going unrecorded).
 */
export function registryClientEnv(client: RegistryClient): Record<string, string> {
  return running ? { DOCKER_CONFIG: join(running.dir, client) } : {};
}

/** `fetch` of a registry API path (`/v2/…`) as the harness: a test reading what a build pushed. */
export function harnessFetch(
  path: string,
  init: { headers?: Record<string, string> } = {},
): Promise<Response> {
  const registry = runningE2eRegistry();
  return fetch(`http://${registry.address}${path}`, {
    ...init,
    headers: { ...init.headers, authorization: basicAuthorization(registry.credentials.harness) },
  });
}

/** Build requests the IAM mapping does not know, since the last call (none while no registry runs). */
export function takeUnmappedRequests(): string[] {
  return running?.registry.takeUnmapped() ?? [];
}

/** Stops the registry; resolves to the address it had (undefined if none ran). */
export async function stopE2eRegistry(): Promise<string | undefined> {
  if (!running) return undefined;
  const { registry, dir } = running;
  running = undefined;
  await registry.close();
  await rm(dir, { recursive: true, force: true });
  return registry.address;
}
