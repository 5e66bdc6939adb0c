// The project's file set: a walk of the project directory that applies the ignore rules as it goes,
// never descending into excluded directories (node_modules, build output).
import { type Dirent, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { RESERVED_DIR } from '../../contract/description';
import { KilnError } from '../../contract/errors';
import { readRegularFile as readCheckedFile } from '../../runner/index';
import { neutralize } from '../output/untrusted';
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
  const dockerignore = readIgnoreFile(root, DOCKERIGNORE);
  const kilnignore = readIgnoreFile(root, KILNIGNORE);
  const rules: Omit<ProjectRules, 'gitignores'> = {
    dockerignore: dockerignore === null ? null : parseDockerignore(dockerignore),
    kilnignore: kilnignore === null ? null : new KilnignoreRules(kilnignore),
  };
  const files: ProjectFile[] = [];

  const walk = (dir: string, verdict: DirectoryVerdict, parentLayers: GitignoreLayer[]): void => {
    const entries = readdirSync(join(root, dir), { withFileTypes: true });
    let gitignores = parentLayers;
    if (!verdict.excluded && entries.some((entry) => entry.name === GITIGNORE && entry.isFile())) {
      const content = readIgnoreFile(root, dir === '' ? GITIGNORE : `${dir}/${GITIGNORE}`);
      if (content !== null) gitignores = [...parentLayers, parseGitignore(dir, content)];
    }
    const dirRules: ProjectRules = { ...rules, gitignores };
    for (const entry of entries) {
      if (entry.name === '.git') continue;
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.name.includes('\uFFFD')) refuseUndecodableName(path);
      const kind = entryKind(entry, join(root, path));
      if (kind === 'directory') {
        const sub = decide(`${path}/`, verdict, dirRules);
        if (!sub.excluded || rules.kilnignore?.mayReincludeUnder(path)) walk(path, sub, gitignores);
      } else if (decide(path, verdict, dirRules).excluded) {
        // excluded: neither packed nor mentioned
      } else if (kind === 'other') {
        // A FIFO, socket or device cannot travel in an archive (and reading a FIFO would block).
        process.stderr.write(
          `kiln: warning: ${neutralize(path)} is not a regular file, directory or symlink (a FIFO, socket or device); it is not packed\n`,
        );
      } else {
        files.push(kind === 'symlink' ? readLink(roots, path) : readRegularFile(root, path));
      }
    }
  };

  walk('', ROOT_VERDICT, []);
  refuseReservedFiles(files);
  warnPackedDependencies(files);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const MAX_IGNORE_FILE_BYTES = 1024 * 1024;
/** Longer patterns are no real rule, and the ignore library's regular expression would overflow. */
const MAX_PATTERN_LENGTH = 4096;

/** An ignore file's text, or null when there is none; oversized files and patterns are errors. */
function readIgnoreFile(root: string, path: string): string | null {
  const read = readCheckedFile(join(root, path), {
    followLinks: true,
    label: path,
    maxBytes: MAX_IGNORE_FILE_BYTES,
  });
  if (read.kind === 'missing') return null;
  if (read.kind === 'too-large') {
    throw new KilnError(
      `${path} is ${read.size} bytes; kiln reads ignore files of at most ${MAX_IGNORE_FILE_BYTES} bytes`,
      `Shorten ${path} (it holds patterns, one per line).`,
    );
  }
  const text = read.data.toString('utf8');
  const long = text.split('\n').findIndex((line) => line.length > MAX_PATTERN_LENGTH);
  if (long !== -1) {
    throw new KilnError(
      `${path} line ${long + 1} is a pattern of ${text.split('\n')[long]!.length} characters; the limit is ${MAX_PATTERN_LENGTH}`,
      `Fix line ${long + 1} of ${path}: one pattern per line, in gitignore syntax.`,
    );
  }
  return text;
}

/** A name that is not UTF-8 cannot be named in the archive (zip names are UTF-8) nor opened again. */
function refuseUndecodableName(path: string): never {
  throw new KilnError(
    `a file name is not valid UTF-8: ${JSON.stringify(path)}`,
    `Rename it (e.g. \`convmv -f latin1 -t utf8\`), or exclude its folder in ${KILNIGNORE}.`,
  );
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

/** node_modules is packed only when `.kilnignore` re-includes it (ignore-rules.ts): say what that costs. */
function warnPackedDependencies(files: ProjectFile[]): void {
  const packed = new Set(
    files.flatMap((file) => {
      const at = `/${file.path}`.indexOf('/node_modules/');
      return at === -1 ? [] : [file.path.slice(0, at + 'node_modules'.length)];
    }),
  );
  if (packed.size === 0) return;
  process.stderr.write(
    `kiln: warning: ${neutralize([...packed].sort().join(', '))} ${packed.size > 1 ? 'are' : 'is'} packed (re-included by ${KILNIGNORE}): a Dockerfile's \`COPY . .\` lays these modules, built for this machine, over the ones installed in the image\n`,
  );
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
