// `kiln pack [dir] [--list] [-o out.zip]`: what leaves the machine, and the archive itself.
import { rm } from 'node:fs/promises';

import { RESERVED_DIR } from '../../../contract/description';
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import { withInterruption } from '../../follow/interrupts';
import { formatBytes } from '../../output/format';
import { neutralize } from '../../output/untrusted';
import { describeProject } from '../../pack/describe-project';
import { listProjectFiles, type ProjectFile } from '../../pack/file-set';
import { packProject } from '../../pack/pack-project';

export async function runPackCommand(
  dir: string,
  options: { list?: boolean; output?: string },
): Promise<void> {
  if (options.list) {
    process.stdout.write(formatFileList(await listProjectFiles(dir)));
    return;
  }
  // Ctrl-C, SIGTERM or a closed output while packing: the partial archive is removed before exiting.
  const archive = await withInterruption(
    (signal) =>
      packProject({
        projectDir: dir,
        description: describeProject(dir, undefined, signal),
        outFile: options.output,
        signal,
      }),
    () => new KilnError('interrupted: no archive written', undefined, EXIT_CODES.interrupted),
  );
  const printed = await new Promise<boolean>((resolve) =>
    process.stdout.write(
      `${archive.path}\n` +
        `  ${archive.files.length} files, ${formatBytes(archive.totalUncompressed)} → ${formatBytes(archive.size)} zip\n` +
        `  sha256 ${archive.sha256}\n`,
      (error) => resolve(!error),
    ),
  );
  // Nobody read where the temporary archive is (stdout was closed): it would only be litter.
  if (!printed && !options.output) await rm(archive.path, { force: true });
}

function formatFileList(files: ProjectFile[]): string {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const lines = files.map((file) => {
    const name = file.isSymlink ? `${file.path} -> ${file.linkTarget}` : file.path;
    return `${formatBytes(file.size).padStart(9)}  ${neutralize(name)}\n`;
  });
  return (
    lines.join('') +
    `${files.length} files, ${formatBytes(total)} (plus kiln's ${RESERVED_DIR}/: the build runner and build.json)\n`
  );
}
