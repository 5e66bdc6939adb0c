// The project as detection sees it: the list of paths and the contents of the few files that
// decide anything. Read once up front (readProjectSnapshot), so every rule is a pure function.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readRegularFile } from '../files/regular-file';

export interface ProjectSnapshot {
  /** Relative POSIX paths of files, and of directories with a trailing `/`, up to MAX_DEPTH. */
  paths: ReadonlySet<string>;
  /** Contents of the files whose names detection reads (see READ_CONTENTS). */
  contents: ReadonlyMap<string, string>;
  /** Files detection wanted but did not read (too large), said out loud rather than taken as absent. */
  warnings?: readonly string[];
}

const MAX_DEPTH = 3;
/** Lockfiles of large monorepos run to a few MiB; beyond this a file is not read (with a warning). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Directories that never decide anything and can be huge. */
const SKIPPED_DIRS = new Set([
  '.git',
  'node_modules',
  'vendor',
  '.venv',
  'venv',
  '__pycache__',
  'tmp',
  'log',
  '.next',
  'dist',
  '_site',
]);
/** Files whose contents detection reads; stage hooks are read wherever they are. */
const READ_CONTENTS =
  /^(package\.json|yarn\.lock|pnpm-lock\.yaml|\.node-version|\.nvmrc|\.tool-versions|\.python-version|runtime\.txt|requirements\.txt|pyproject\.toml|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock|[\w-]+\.py|Gemfile|Gemfile\.lock|\.ruby-version|go\.mod|Procfile|next\.config\.(js|mjs|cjs|ts)|\.dockerignore)$/;

function wantsContents(path: string): boolean {
  if (path.startsWith('.kiln/stage/')) return true;
  const name = path.slice(path.lastIndexOf('/') + 1);
  // Python sources are read only near the top, where app modules and Lambda handlers live.
  return READ_CONTENTS.test(name) && !(name.endsWith('.py') && path.split('/').length > 2);
}

export async function readProjectSnapshot(dir: string): Promise<ProjectSnapshot> {
  const paths = new Set<string>();
  const contents = new Map<string, string>();
  const warnings: string[] = [];
  async function walk(relative: string, depth: number): Promise<void> {
    // The top directory must be readable; an unreadable subdirectory is skipped.
    const entries = await readdir(join(dir, relative), { withFileTypes: true }).catch((error: unknown) => {
      if (relative === '') throw error;
      return [];
    });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        paths.add(`${path}/`);
        if (depth < MAX_DEPTH && !SKIPPED_DIRS.has(entry.name)) await walk(path, depth + 1);
      } else if (entry.isFile() && !wantsContents(path)) {
        paths.add(path);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        // A broken symlink or an unreadable file counts as absent.
        const info = await stat(join(dir, path)).catch(() => undefined);
        if (info === undefined || !info.isFile()) continue;
        paths.add(path);
        // Opened once, type and size checked on the handle: a FIFO swapped in is never read.
        const read = readRegularFile(join(dir, path), {
          followLinks: true,
          label: path,
          maxBytes: MAX_FILE_BYTES,
        });
        if (read.kind === 'file') contents.set(path, read.data.toString('utf8'));
        else if (read.kind === 'too-large') {
          warnings.push(
            `${path} is ${Math.round(read.size / 1024 / 1024)} MiB; kiln reads files of at most ${MAX_FILE_BYTES / 1024 / 1024} MiB to detect the app and ignored it`,
          );
        }
      }
    }
  }
  await walk('', 1);
  return { paths, contents, warnings };
}

/** A snapshot from an in-memory file map (tests, and callers that already hold the files). */
export function snapshotFromFiles(files: Record<string, string>): ProjectSnapshot {
  const paths = new Set<string>();
  const contents = new Map<string, string>();
  for (const [path, text] of Object.entries(files)) {
    paths.add(path);
    contents.set(path, text);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) paths.add(`${parts.slice(0, i).join('/')}/`);
  }
  return { paths, contents };
}

export function hasPath(snapshot: ProjectSnapshot, path: string): boolean {
  return snapshot.paths.has(path) || snapshot.paths.has(`${path}/`);
}

export function firstExisting(snapshot: ProjectSnapshot, candidates: readonly string[]): string | undefined {
  return candidates.find((path) => hasPath(snapshot, path));
}
