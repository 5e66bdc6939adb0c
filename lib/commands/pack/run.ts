// `kiln pack [dir] [--list] [-o out.zip]`: what leaves the machine, and the archive itself.

import { RESERVED_DIR } from '../../../contract/description';
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import { formatBytes } from '../../output/format';
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
  const archive = await withInterrupt((signal) =>
    packProject({ projectDir: dir, description: describeProject(dir), outFile: options.output, signal }),
  );
  process.stdout.write(
    `${archive.path}\n` +
      `  ${archive.files.length} files, ${formatBytes(archive.totalUncompressed)} → ${formatBytes(archive.size)} zip\n` +
      `  sha256 ${archive.sha256}\n`,
  );
}

function formatFileList(files: ProjectFile[]): string {
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const lines = files.map((file) => {
    const name = file.isSymlink ? `${file.path} -> ${file.linkTarget}` : file.path;
    return `${formatBytes(file.size).padStart(9)}  ${name}\n`;
  });
  return (
    lines.join('') +
    `${files.length} files, ${formatBytes(total)} (plus kiln's ${RESERVED_DIR}/: the build runner and build.json)\n`
  );
}

/** Ctrl-C while packing removes the partial archive before exiting. */
async function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await run(controller.signal);
  } catch (error) {
    if (controller.signal.aborted)
      throw new KilnError('interrupted: no archive written', undefined, EXIT_CODES.interrupted);
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
