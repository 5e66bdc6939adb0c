// Unpacks a source archive (zip) into a directory, keeping file modes (executable scripts) and symlinks.
import { constants } from 'node:fs';
import { mkdir, open, realpath, symlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Entry, openPromise, type ZipFile } from 'yauzl';
import { KilnError } from '../../contract/errors';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export async function extractArchive(zipPath: string, destDir: string): Promise<void> {
  try {
    await extractEntries(zipPath, destDir);
  } catch (error) {
    if (error instanceof KilnError || typeof (error as NodeJS.ErrnoException).syscall === 'string')
      throw error;
    // yauzl's own findings: a corrupt zip, or an entry name that is absolute or climbs out with `..`.
    throw new KilnError(
      `the source archive cannot be unpacked safely: ${(error as Error).message}`,
      'Pack it again with `kiln pack`.',
    );
  }
}

async function extractEntries(zipPath: string, destDir: string): Promise<void> {
  // yauzl rejects absolute and `..` entry names, so nothing lands outside destDir.
  const zip = await openPromise(zipPath, { lazyEntries: true });
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry: Entry) => {
        writeEntry(zip, entry, destDir).then(() => zip.readEntry(), reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

async function writeEntry(zip: ZipFile, entry: Entry, destDir: string): Promise<void> {
  const target = join(destDir, entry.fileName);
  if (entry.fileName.endsWith('/')) {
    await mkdir(target, { recursive: true });
    return;
  }
  await mkdir(dirname(target), { recursive: true });
  await refuseWritesThroughLinks(dirname(target), destDir);
  const unixMode = entry.externalFileAttributes >>> 16;
  const content = await zip.openReadStreamPromise(entry);
  if ((unixMode & S_IFMT) === S_IFLNK) {
    // A symlink's content is its target; it stays a link, as docker sees it in the project.
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(chunk as Buffer);
    await symlink(Buffer.concat(chunks).toString('utf8'), target).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      throw new KilnError(`the archive holds ${entry.fileName} twice; kiln refuses to write it over itself`);
    });
    return;
  }
  // Created, never reused: a second entry of the same name (after a symlink entry, say) must not
  // write through the first one to wherever it points.
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const file = await open(target, flags, unixMode & 0o777 || 0o644).catch((error: NodeJS.ErrnoException) => {
    content.destroy();
    if (error.code !== 'EEXIST') throw error;
    throw new KilnError(`the archive holds ${entry.fileName} twice; kiln refuses to write it over itself`);
  });
  await pipeline(content, file.createWriteStream());
}

/** An archived symlink to a directory must not let a later entry land outside destDir. */
async function refuseWritesThroughLinks(dir: string, destDir: string): Promise<void> {
  const inside = relative(await realpath(destDir), await realpath(dir));
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new KilnError(`the archive writes through a symlink to outside the build directory (${dir})`);
  }
}
