import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { extractArchive } from '../../../lib/local/extract-archive';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-extract-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it('unpacks files with their content and executable bits', async () => {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from('hello\n'), 'app/index.js', { mode: 0o100644 });
  zip.addBuffer(Buffer.from('#!/bin/sh\n'), 'bin/start', { mode: 0o100755 });
  zip.addEmptyDirectory('empty/');
  zip.end();
  const zipPath = join(dir, 'a.zip');
  const out = zip.outputStream.pipe(createWriteStream(zipPath));
  await once(out, 'close');

  const dest = join(dir, 'out');
  await extractArchive(zipPath, dest);
  expect(await readFile(join(dest, 'app/index.js'), 'utf8')).toBe('hello\n');
  expect((await stat(join(dest, 'bin/start'))).mode & 0o777).toBe(0o755);
  expect((await stat(join(dest, 'empty'))).isDirectory()).toBe(true);
});
