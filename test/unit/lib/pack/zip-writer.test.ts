import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { openPromise } from 'yauzl';
import { METHOD_STORED, ZipWriter } from '../../../../lib/pack/zip-writer';
import { removeProject } from '../../../helpers/project-fixture';

describe('ZipWriter', () => {
  it('writes zip64 end records past 65535 entries, readable by zip tools', async () => {
    const chunks: Buffer[] = [];
    const writer = new ZipWriter(async (chunk) => {
      chunks.push(chunk);
    });
    const count = 70_000;
    for (let i = 0; i < count; i++) {
      const data = Buffer.from(String(i));
      await writer.addComplete(
        { path: `f/${String(i).padStart(5, '0')}`, mode: 0o644, isSymlink: false, method: METHOD_STORED },
        { crc32: crc32(data), compressedSize: data.length, uncompressedSize: data.length },
        data,
      );
    }
    await writer.finish();
    const path = join(tmpdir(), `kiln-zip64-${process.pid}.zip`);
    await writeFile(path, Buffer.concat(chunks));
    try {
      const zip = await openPromise(path, { lazyEntries: true });
      zip.close();
      expect(zip.entryCount).toBe(count);
      expect(execFileSync('unzip', ['-tq', path]).toString()).toMatch(/No errors detected/);
      expect(execFileSync('unzip', ['-p', path, 'f/69999']).toString()).toBe('69999');
    } finally {
      await removeProject(path);
    }
  }, 30_000);
});
