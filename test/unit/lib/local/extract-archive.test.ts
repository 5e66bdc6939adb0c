import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZipFile } from 'yazl';
import { extractArchive } from '../../../../lib/local/extract-archive';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-extract-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it('unpacks files with their content, executable bits and symlinks', async () => {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from('hello\n'), 'app/index.js', { mode: 0o100644 });
  zip.addBuffer(Buffer.from('#!/bin/sh\n'), 'bin/start', { mode: 0o100755 });
  zip.addEmptyDirectory('empty/');
  zip.addBuffer(Buffer.from('app/index.js'), 'link.js', { mode: 0o120777 });
  zip.end();
  const zipPath = join(dir, 'a.zip');
  const out = zip.outputStream.pipe(createWriteStream(zipPath));
  await once(out, 'close');

  const dest = join(dir, 'out');
  await extractArchive(zipPath, dest);
  expect(await readFile(join(dest, 'app/index.js'), 'utf8')).toBe('hello\n');
  expect((await stat(join(dest, 'bin/start'))).mode & 0o777).toBe(0o755);
  expect((await stat(join(dest, 'empty'))).isDirectory()).toBe(true);
  expect(await readlink(join(dest, 'link.js'))).toBe('app/index.js');
});

it('refuses entries that would be written through a symlink to outside', async () => {
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(dir), 'escape', { mode: 0o120777 });
  zip.addBuffer(Buffer.from('x'), 'escape/planted', { mode: 0o100644 });
  zip.end();
  const zipPath = join(dir, 'b.zip');
  await once(zip.outputStream.pipe(createWriteStream(zipPath)), 'close');
  await expect(extractArchive(zipPath, join(dir, 'out'))).rejects.toThrow(/writes through a symlink/);
});

it('never writes a file through a symlink entry of the same name that came before it', async () => {
  const victim = join(dir, 'victim.txt');
  await writeFile(victim, 'original\n');
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(victim), 'config.txt', { mode: 0o120777 });
  zip.addBuffer(Buffer.from('planted\n'), 'config.txt', { mode: 0o100644 });
  zip.end();
  const zipPath = join(dir, 'c.zip');
  await once(zip.outputStream.pipe(createWriteStream(zipPath)), 'close');
  await expect(extractArchive(zipPath, join(dir, 'out'))).rejects.toThrow(/config\.txt/);
  expect(await readFile(victim, 'utf8')).toBe('original\n');
});
