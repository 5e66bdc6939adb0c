// Per-file setup of an e2e suite: fail at once when the environment is not up, start the file's
// recording registry (./registry.ts), fail a test whose build made a registry request the IAM
// mapping does not know, and remove what the tests created (containers, images, a scratch
// directory, every local image name under the file's registry address) whatever happened.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerCleanup, docker } from './docker';
import { upEnvironment } from './environment';
import { startE2eRegistry, stopE2eRegistry, takeUnmappedRequests } from './registry';

export interface E2eSuite {
  cleanup: DockerCleanup;
  /** A scratch directory for this file, removed after its tests. */
  workDir(): string;
}

/**
 * Local names under `address` (tags and digests): the address is this file's own registry port, so
 * no later run uses them (the images stay in the registry behind it; only the names go).
 */
async function removeNamesUnder(address: string): Promise<void> {
  const listed = await docker(['images', '--digests', '--format', '{{.Repository}} {{.Tag}} {{.Digest}}']);
  const rows = listed
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([repository]) => repository?.startsWith(`${address}/`));
  const known = (value: string | undefined) => value !== undefined && value !== '<none>';
  const tags = rows.filter(([, tag]) => known(tag)).map(([repository, tag]) => `${repository}:${tag}`);
  const digests = rows
    .filter(([, , digest]) => known(digest))
    .map(([repository, , digest]) => `${repository}@${digest}`);
  // Tags first: a digest reference can go once no tag of its repository holds the image.
  for (const name of [...tags, ...new Set(digests)]) await docker(['rmi', name]).catch(() => '');
}

export function e2eSuite(name: string): E2eSuite {
  const cleanup = new DockerCleanup();
  let dir: string | undefined;
  beforeAll(async () => {
    await startE2eRegistry(upEnvironment().upstreamRegistry);
    dir = await mkdtemp(join(tmpdir(), `kiln-e2e-${name}-`));
  });
  afterEach(() => {
    const unmapped = takeUnmappedRequests();
    if (unmapped.length > 0) throw new Error(unmapped.join('\n'));
  });
  afterAll(async () => {
    await cleanup.run();
    const address = await stopE2eRegistry();
    if (address) await removeNamesUnder(address).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    cleanup,
    workDir: () => {
      if (!dir) throw new Error('workDir() is only available inside tests');
      return dir;
    },
  };
}
