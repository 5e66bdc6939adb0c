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

  it('treats a broken symlink as absent', async () => {
    symlinkSync(join(dir, 'missing.json'), join(dir, 'package.json'));
    writeFileSync(join(dir, 'index.html'), '<h1>hi</h1>');
    const snapshot = await readProjectSnapshot(dir);
    expect([...snapshot.paths]).toEqual(['index.html']);
  });
});
