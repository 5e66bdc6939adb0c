// The build mode for the unpacked source, decided by the shared rule (runner/config/build-mode.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KilnConfig } from '../../contract/config-schema';
import { type BuildMode, DOCKER_IMAGE_VARIABLE, resolveBuildMode } from '../config/build-mode';

/** The project's files as the mode rule asks about them: by existence on disk, with no directory walk. */
class FilesOnDisk extends Set<string> {
  constructor(private readonly root: string) {
    super();
  }

  override has(path: string): boolean {
    return existsSync(join(this.root, path));
  }
}

export function buildModeFor(config: KilnConfig, sourceDir: string, prebuiltImage?: string): BuildMode {
  return resolveBuildMode(config, { [DOCKER_IMAGE_VARIABLE]: prebuiltImage }, new FilesOnDisk(sourceDir));
}

export function describeBuildMode(mode: BuildMode): string {
  return mode.mode === 'image' ? `${mode.reason}: ${mode.image} (pull, retag, push; no build)` : mode.reason;
}
