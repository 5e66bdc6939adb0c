// Reads a zip back for assertions: every entry's name, Unix mode, compression method and content.
import { buffer } from 'node:stream/consumers';
import { openPromise } from 'yauzl';

export interface ZipEntryView {
  name: string;
  /** st_mode from the external attributes (file type and permissions). */
  mode: number;
  method: number;
  content: Buffer;
}

export async function readZip(path: string): Promise<ZipEntryView[]> {
  const zip = await openPromise(path, { lazyEntries: true, validateEntrySizes: true });
  const entries: ZipEntryView[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const content = await buffer(await zip.openReadStreamPromise(entry));
      entries.push({
        name: entry.fileName,
        mode: entry.externalFileAttributes >>> 16,
        method: entry.compressionMethod,
        content,
      });
    }
  } finally {
    zip.close();
  }
  return entries;
}
