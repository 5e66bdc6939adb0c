// Unpacks a source archive (zip) into a directory, keeping file modes (executable scripts).
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type Entry, openPromise, type ZipFile } from 'yauzl';

export async function extractArchive(zipPath: string, destDir: string): Promise<void> {
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
  const unixMode = (entry.externalFileAttributes >>> 16) & 0o777;
  await pipeline(
    await zip.openReadStreamPromise(entry),
    createWriteStream(target, { mode: unixMode || 0o644 }),
  );
}
