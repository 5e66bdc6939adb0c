import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readProjectSnapshot } from '../../../../runner/detect/snapshot';

describe('readProjectSnapshot', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-snapshot-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists paths, reads only the files detection needs, and skips dependency folders', async () => {
    mkdirSync(join(dir, 'node_modules/express'), { recursive: true });
    mkdirSync(join(dir, '.kiln/stage'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'photo.png'), 'binary');
    writeFileSync(join(dir, 'node_modules/express/package.json'), '{}');
    writeFileSync(join(dir, '.kiln/stage/after_build'), 'RUN true\n');
    const snapshot = await readProjectSnapshot(dir);
    expect([...snapshot.paths].sort()).toEqual([
      '.kiln/',
      '.kiln/stage/',
      '.kiln/stage/after_build',
      'node_modules/',
      'package.json',
      'photo.png',
    ]);
    expect([...snapshot.contents.keys()].sort()).toEqual(['.kiln/stage/after_build', 'package.json']);
  });

  it('treats a broken symlink as absent, and says so when detection reads that file', async () => {
    symlinkSync(join(dir, 'missing.json'), join(dir, 'package.json'));
    symlinkSync(join(dir, 'missing.png'), join(dir, 'logo.png'));
    writeFileSync(join(dir, 'index.html'), '<h1>hi</h1>');
    const snapshot = await readProjectSnapshot(dir);
    expect([...snapshot.paths]).toEqual(['index.html']);
    expect(snapshot.warnings).toEqual([
      'package.json is a symlink to nothing, not a regular file: detection treats it as absent',
    ]);
  });

  it('warns about a file detection reads that is a FIFO or a directory, and lists linked files unread', async () => {
    execFileSync('mkfifo', [join(dir, '.nvmrc')]);
    mkdirSync(join(dir, 'assets'));
    symlinkSync(join(dir, 'assets'), join(dir, 'Procfile'));
    writeFileSync(join(dir, 'real.png'), 'binary');
    symlinkSync(join(dir, 'real.png'), join(dir, 'logo.png'));
    const snapshot = await readProjectSnapshot(dir);
    expect(snapshot.warnings).toEqual([
      '.nvmrc is a FIFO (named pipe), not a regular file: detection treats it as absent',
      'Procfile is a directory, not a regular file: detection treats it as absent',
    ]);
    expect([...snapshot.paths].sort()).toEqual(['assets/', 'logo.png', 'real.png']);
    expect([...snapshot.contents.keys()]).toEqual([]);
  });
});
