// The "where do the bytes come from" summary for large archives.
import { formatBytes } from '../output/format';
import type { PackedFile } from './file-set';

export const MIB = 1024 * 1024;

/** Top-level directories (and "./" for files at the root) by uncompressed size, biggest first. */
function biggestDirectories(files: PackedFile[], count = 5): Array<{ dir: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const file of files) {
    const slash = file.path.indexOf('/');
    const dir = slash < 0 ? './' : `${file.path.slice(0, slash)}/`;
    totals.set(dir, (totals.get(dir) ?? 0) + file.size);
  }
  return [...totals]
    .map(([dir, bytes]) => ({ dir, bytes }))
    .sort((a, b) => b.bytes - a.bytes || (a.dir < b.dir ? -1 : 1))
    .slice(0, count);
}

export function describeBiggestDirectories(files: PackedFile[]): string {
  return biggestDirectories(files)
    .map(({ dir, bytes }) => `  ${formatBytes(bytes).padStart(9)}  ${dir}`)
    .join('\n');
}
