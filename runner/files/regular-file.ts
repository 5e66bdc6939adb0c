// Reading a file kiln did not create, safely: open it once (without following a link when the
// caller saw a regular file, and without blocking on a FIFO), check its type and size on the opened
// handle, and read exactly what was checked. A file swapped for a symlink between a directory walk
// and the read is refused instead of read through; FIFOs, sockets and devices are reported, not read.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { KilnError } from '../../contract/errors';

export interface OpenOptions {
  /** false: the path must not be a symlink (it was a regular file when the project was walked). */
  followLinks: boolean;
  /** How the path is named in messages (relative to the project). */
  label?: string;
}

export type FileRead =
  | { kind: 'file'; data: Buffer }
  | { kind: 'missing' }
  | { kind: 'too-large'; size: number };

/** Opens a regular file read-only; throws a KilnError for anything else. Returns undefined if absent. */
export function openRegularFile(
  path: string,
  options: OpenOptions,
): { fd: number; stats: Stats } | undefined {
  const label = options.label ?? path;
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.followLinks ? 0 : constants.O_NOFOLLOW);
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') {
      throw new KilnError(
        `${label} turned into a symlink while kiln was reading the project`,
        'Something changed the project while kiln packed it; run kiln again once it is done.',
      );
    }
    throw error;
  }
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw new KilnError(
      `${label} is ${fileType(stats)}, not a regular file; kiln does not read it`,
      'Replace it with a regular file, or remove it (or exclude it in .kilnignore).',
    );
  }
  return { fd, stats };
}

/** The whole file if it is at most `maxBytes` long (the size is checked on the open handle). */
export function readRegularFile(path: string, options: OpenOptions & { maxBytes: number }): FileRead {
  const opened = openRegularFile(path, options);
  if (!opened) return { kind: 'missing' };
  const { fd, stats } = opened;
  try {
    if (stats.size > options.maxBytes) return { kind: 'too-large', size: stats.size };
    return { kind: 'file', data: readExactly(fd, stats.size, options.label ?? path) };
  } finally {
    closeSync(fd);
  }
}

/** Reads `size` bytes (the size fstat reported); a file that shrank or grew meanwhile is an error. */
export function readExactly(fd: number, size: number, label: string): Buffer {
  const data = Buffer.alloc(size);
  let offset = 0;
  while (offset < size) {
    const read = readSync(fd, data, offset, size - offset, offset);
    if (read === 0) break;
    offset += read;
  }
  if (offset !== size || readSync(fd, Buffer.alloc(1), 0, 1, size) !== 0) {
    throw new KilnError(
      `${label} changed size while kiln was reading it`,
      'Something changed the project while kiln read it; run kiln again once it is done.',
    );
  }
  return data;
}

/** What a non-regular file is, for messages ("package.json is a FIFO (named pipe)"). */
export function fileType(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}
