// Per-file setup of an e2e suite: fail at once when the environment is not up, and remove what the
// tests created (containers, images, a scratch directory) whatever happened.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerCleanup } from './docker';
import { e2eEnvironment } from './environment';

export interface E2eSuite {
  cleanup: DockerCleanup;
  /** A scratch directory for this file, removed after its tests. */
  workDir(): string;
}

export function e2eSuite(name: string): E2eSuite {
  const cleanup = new DockerCleanup();
  let dir: string | undefined;
  beforeAll(async () => {
    e2eEnvironment();
    dir = await mkdtemp(join(tmpdir(), `kiln-e2e-${name}-`));
  });
  afterAll(async () => {
    await cleanup.run();
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
