// Builds small projects on disk for pack tests: a map of path → content (or a symlink / mode).
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type FixtureEntry = string | Buffer | { content: string | Buffer; mode: number } | { symlink: string };

export async function makeProject(entries: Record<string, FixtureEntry>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-pack-test-'));
  await writeProjectFiles(dir, entries);
  return dir;
}

export async function writeProjectFiles(dir: string, entries: Record<string, FixtureEntry>): Promise<void> {
  for (const [path, entry] of Object.entries(entries)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) {
      await writeFile(target, entry);
    } else if ('symlink' in entry) {
      await symlink(entry.symlink, target);
    } else {
      await writeFile(target, entry.content);
      await chmod(target, entry.mode);
    }
  }
}

export async function removeProject(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
