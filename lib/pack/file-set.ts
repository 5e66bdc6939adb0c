// The project's file set: a walk of the project directory that applies the ignore rules as it goes,
// never descending into excluded directories (node_modules, build output).
import {
  type Dirent,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { RESERVED_DIR } from '../../contract/description';
import { KilnError } from '../../contract/errors';
import {
  type DirectoryVerdict,
  DOCKERIGNORE,
  decide,
  GITIGNORE,
  type GitignoreLayer,
  KILNIGNORE,
  KilnignoreRules,
  type ProjectRules,
  parseDockerignore,
  parseGitignore,
  ROOT_VERDICT,
} from './ignore-rules';

export interface PackedFile {
  /** Relative to the project, '/'-separated. */
  path: string;
  /** Bytes (for a symlink: the length of its target). */
  size: number;
  /** Permission bits, normalised like git: 0o755 when any execute bit is set, else 0o644 (links 0o777). */
  mode: number;
  isSymlink: boolean;
}

export interface ProjectFile extends PackedFile {
  /** For symlinks: the target, always relative and inside the project. */
  linkTarget?: string;
}

export async function listProjectFiles(projectDir: string): Promise<ProjectFile[]> {
  return listProjectFilesSync(resolve(projectDir));
}

/**
 * Synchronous on purpose: stat calls answered from the page cache take microseconds, while each async
 * call costs a threadpool round trip; on a 20k-file project the synchronous walk is about 10x faster.
 */
function listProjectFilesSync(root: string): ProjectFile[] {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new KilnError(
      `${root} is not a project directory (it does not exist or is not a directory)`,
      'Run kiln in the project directory, or pass it: `kiln pack path/to/project`.',
    );
  }
  const roots = [root, realpathSync(root)];
  const dockerignore = readOptional(join(root, DOCKERIGNORE));
  const kilnignore = readOptional(join(root, KILNIGNORE));
  const rules: Omit<ProjectRules, 'gitignores'> = {
    dockerignore: dockerignore === null ? null : parseDockerignore(dockerignore),
    kilnignore: kilnignore === null ? null : new KilnignoreRules(kilnignore),
  };
  const files: ProjectFile[] = [];

  const walk = (dir: string, verdict: DirectoryVerdict, parentLayers: GitignoreLayer[]): void => {
    const entries = readdirSync(join(root, dir), { withFileTypes: true });
    let gitignores = parentLayers;
    if (!verdict.excluded && entries.some((entry) => entry.name === GITIGNORE && entry.isFile())) {
      const content = readOptional(join(root, dir, GITIGNORE));
      if (content !== null) gitignores = [...parentLayers, parseGitignore(dir, content)];
    }
    const dirRules: ProjectRules = { ...rules, gitignores };
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      const kind = entryKind(entry, join(root, path));
      if (kind === 'directory') {
        const sub = decide(`${path}/`, verdict, dirRules);
        if (!sub.excluded || rules.kilnignore?.mayReincludeUnder(path)) walk(path, sub, gitignores);
      } else if (kind !== 'other' && !decide(path, verdict, dirRules).excluded) {
        files.push(kind === 'symlink' ? readLink(roots, path) : readRegularFile(root, path));
      }
    }
  };

  walk('', ROOT_VERDICT, []);
  refuseReservedFiles(files);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** kiln's own files travel in RESERVED_DIR; a user file there would be overwritten or shadowed. */
function refuseReservedFiles(files: ProjectFile[]): void {
  const clash = files.find((file) => file.path === RESERVED_DIR || file.path.startsWith(`${RESERVED_DIR}/`));
  if (clash) {
    throw new KilnError(
      `${clash.path}: the ${RESERVED_DIR}/ folder is reserved for kiln's own files in the source archive`,
      `Rename it, or exclude it by adding "${RESERVED_DIR}/" to ${KILNIGNORE}.`,
    );
  }
}

type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

function entryKind(entry: Dirent, absolute: string): EntryKind {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice())
    return 'other';
  // Some file systems do not report entry types in readdir.
  const stats = lstatSync(absolute);
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  return stats.isSymbolicLink() ? 'symlink' : 'other';
}

function readRegularFile(root: string, path: string): ProjectFile {
  const stats = lstatSync(join(root, path));
  return { path, size: stats.size, mode: stats.mode & 0o111 ? 0o755 : 0o644, isSymlink: false };
}

/** Keeps a link as a link, with a relative target; a link that leaves the project cannot be built remotely. */
function readLink(roots: string[], path: string): ProjectFile {
  const absolute = join(roots[0]!, path);
  const target = readlinkSync(absolute);
  const resolved = resolve(dirname(absolute), target);
  const inside = roots.find((root) => {
    const fromRoot = relative(root, resolved);
    return (
      fromRoot === '' || (!fromRoot.startsWith(`..${sep}`) && fromRoot !== '..' && !isAbsolute(fromRoot))
    );
  });
  if (inside === undefined) {
    throw new KilnError(
      `symlink ${path} points outside the project (to ${target})`,
      `The remote build only receives the project directory. Replace the link with a copy of its target, or exclude it in ${KILNIGNORE}.`,
    );
  }
  const linkTarget = isAbsolute(target)
    ? relative(dirname(join(inside, path)), resolved)
        .split(sep)
        .join('/') || '.'
    : target.split(sep).join('/');
  return { path, size: Buffer.byteLength(linkTarget), mode: 0o777, isSymlink: true, linkTarget };
}
