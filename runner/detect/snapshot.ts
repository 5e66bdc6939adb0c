// The project as detection sees it: the list of paths and the contents of the few files that
// decide anything. Read once up front (readProjectSnapshot), so every rule is a pure function.
import { closeSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KilnError } from '../../contract/errors';
import { fileType, openRegularFile, readExactly } from '../files/regular-file';

export interface ProjectSnapshot {
  /** Relative POSIX paths of files, and of directories with a trailing `/`, up to MAX_DEPTH. */
  paths: ReadonlySet<string>;
  /** Contents of the files whose names detection reads (see READ_CONTENTS). */
  contents: ReadonlyMap<string, string>;
  /** Files detection wanted but read only in part, or not at all: each is a warning for the user. */
  warnings: readonly string[];
}

const MAX_DEPTH = 3;
/** Manifests and sources are small; lockfiles of big apps reach several MiB. */
const MAX_FILE_BYTES = 512 * 1024;
const MAX_LOCKFILE_BYTES = 16 * 1024 * 1024;
/** What is read of a file over its limit: every rule that reads a big file looks at its head. */
const HEAD_BYTES = 64 * 1024;
const LOCKFILE = /^(yarn\.lock|pnpm-lock\.yaml|Pipfile\.lock|poetry\.lock|uv\.lock|Gemfile\.lock)$/;
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
  /^(package\.json|yarn\.lock|pnpm-lock\.yaml|\.node-version|\.nvmrc|\.tool-versions|\.python-version|runtime\.txt|requirements\.txt|pyproject\.toml|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock|[\w-]+\.py|Gemfile|Gemfile\.lock|\.ruby-version|go\.mod|[\w-]+\.go|Procfile|next\.config\.(js|mjs|cjs|ts)|svelte\.config\.(js|mjs|ts)|astro\.config\.(mjs|js|ts)|\.yarnrc\.yml|template\.ya?ml|\.dockerignore)$/;

function wantsContents(path: string): boolean {
  if (path.startsWith('.kiln/stage/')) return true;
  const name = path.slice(path.lastIndexOf('/') + 1);
  // Python and Go sources are read only near the top, where app modules, handlers and mains live.
  return READ_CONTENTS.test(name) && !(/\.(py|go)$/.test(name) && path.split('/').length > 2);
}

function sizeLimit(path: string): number {
  return LOCKFILE.test(path.slice(path.lastIndexOf('/') + 1)) ? MAX_LOCKFILE_BYTES : MAX_FILE_BYTES;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The file's text, or its head when it is over the limit (with a warning); undefined when unreadable. */
/**
 * The file's text, opened once with its type and size checked on the handle (a FIFO swapped in after
 * the walk is never read); over its limit, only its head, with a warning; unreadable, a warning.
 */
function readText(file: string, path: string, warnings: string[]): string | undefined {
  try {
    const opened = openRegularFile(file, { followLinks: true, label: path });
    if (!opened) return undefined;
    const { fd, stats } = opened;
    try {
      const limit = sizeLimit(path);
      if (stats.size <= limit) return readExactly(fd, stats.size, path).toString('utf8');
      const head = Buffer.alloc(HEAD_BYTES);
      const bytesRead = readSync(fd, head, 0, HEAD_BYTES, 0);
      warnings.push(
        `${path} is ${mib(stats.size)}, over kiln's ${mib(limit)} limit for it: detection read only its first ${HEAD_BYTES / 1024} KiB`,
      );
      return head.subarray(0, bytesRead).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const reason =
      error instanceof KilnError
        ? error.message
        : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    warnings.push(`${path} could not be read (${reason}): detection treats it as absent`);
    return undefined;
  }
}

export async function readProjectSnapshot(dir: string): Promise<ProjectSnapshot> {
  const paths = new Set<string>();
  const contents = new Map<string, string>();
  const warnings: string[] = [];
  async function walk(relative: string, depth: number): Promise<void> {
    // The top directory must be readable; an unreadable subdirectory is skipped.
    const entries = await readdir(join(dir, relative), { withFileTypes: true }).catch((error: unknown) => {
      if (relative === '') throw error;
      warnings.push(
        `${relative}/ could not be read (${(error as NodeJS.ErrnoException).code}): detection does not look inside it`,
      );
      return [];
    });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        paths.add(`${path}/`);
        if (depth < MAX_DEPTH && !SKIPPED_DIRS.has(entry.name)) await walk(path, depth + 1);
      } else if (!wantsContents(path)) {
        // Listed when it is a file or a link to one; never read.
        if (entry.isFile()) paths.add(path);
        else if (entry.isSymbolicLink() && (await stat(join(dir, path)).catch(() => undefined))?.isFile())
          paths.add(path);
      } else {
        // A file detection reads that is a broken link, a FIFO or a directory counts as absent, said.
        const info = await stat(join(dir, path)).catch(() => undefined);
        if (info === undefined || !info.isFile()) {
          const what = info === undefined ? 'a symlink to nothing' : fileType(info);
          warnings.push(`${path} is ${what}, not a regular file: detection treats it as absent`);
          continue;
        }
        const text = readText(join(dir, path), path, warnings);
        if (text === undefined) continue;
        paths.add(path);
        contents.set(path, text);
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
  return { paths, contents, warnings: [] };
}

export function hasPath(snapshot: ProjectSnapshot, path: string): boolean {
  return snapshot.paths.has(path) || snapshot.paths.has(`${path}/`);
}

export function firstExisting(snapshot: ProjectSnapshot, candidates: readonly string[]): string | undefined {
  return candidates.find((path) => hasPath(snapshot, path));
}
