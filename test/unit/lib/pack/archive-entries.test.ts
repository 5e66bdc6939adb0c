import { mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEntries } from '../../../../lib/pack/archive-entries';
import { ZipWriter } from '../../../../lib/pack/zip-writer';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-entries-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

// The tree is walked first and read later: a file swapped for a symlink to outside the project in
// between must be refused, never packed with the outside file's bytes.
it.each([
  ['read whole', 12],
  ['streamed', 9 * 1024 * 1024],
])('refuses a project file that became a symlink after the walk (%s)', async (_, size) => {
  const outside = join(dir, 'outside-secret');
  await writeFile(outside, Buffer.alloc(size, 's'));
  const inProject = join(dir, 'project-file');
  await writeFile(inProject, Buffer.alloc(size, 'p'));
  const entry = { path: 'project-file', mode: 0o644, isSymlink: false, file: inProject, size };
  await unlink(inProject);
  await symlink(outside, inProject);

  const written: Buffer[] = [];
  const writer = new ZipWriter(async (chunk) => {
    written.push(Buffer.from(chunk));
  });
  await expect(writeEntries(writer, [entry])).rejects.toThrow(
    'project-file turned into a symlink while kiln was reading the project',
  );
  expect(Buffer.concat(written).includes(Buffer.alloc(12, 's'))).toBe(false);
});
