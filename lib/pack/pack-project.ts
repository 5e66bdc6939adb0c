// `kiln pack`: the project's file set plus kiln's reserved folder (the build-side runner and the build
// description), written as a deterministic zip whose sha256 names it in S3.
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, readSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  type BuildDescription,
  DESCRIPTION_FILE,
  RUNNER_FILE,
  RUNNER_MAP_FILE,
} from '../../contract/description';
import { KilnError } from '../../contract/errors';
import { openRegularFile } from '../../runner/index';
import { formatBytes } from '../output/format';
import { type ArchiveEntry, writeEntries } from './archive-entries';
import { listProjectFiles, type PackedFile } from './file-set';
import { HashingFileSink } from './hashing-file-sink';
import { describeBiggestDirectories, MIB } from './size-report';
import { stableJson } from './stable-json';
import { ZipWriter } from './zip-writer';

export interface PackedArchive {
  /** The zip file (a temporary file unless `outFile` was given; the caller removes it when done). */
  path: string;
  /** Hex sha256 of the zip: the archive's identity (and its S3 key). */
  sha256: string;
  /** Bytes of the zip. */
  size: number;
  /** The project's files in the archive, sorted (kiln's reserved folder not included). */
  files: PackedFile[];
  /** Sum of the project files' sizes. */
  totalUncompressed: number;
}

export interface PackOptions {
  projectDir: string;
  /** A promise is fine too: git and config are then read while the project is walked. */
  description: BuildDescription | Promise<BuildDescription>;
  /** The bundled build-side runner (its source map beside it); default `<package root>/dist/runner.cjs`. */
  runnerBundlePath?: string;
  outFile?: string;
  signal?: AbortSignal;
  /** Called as entries are written: files and bytes of the project done so far, of the totals. */
  onProgress?: (progress: PackProgress) => void;
}

export interface PackProgress {
  files: number;
  bytes: number;
  totalFiles: number;
  totalBytes: number;
}

export async function packProject(options: PackOptions): Promise<PackedArchive> {
  const projectDir = resolve(options.projectDir);
  const outFile = options.outFile
    ? resolve(options.outFile)
    : join(tmpdir(), `kiln-source-${randomUUID()}.zip`);
  refuseOverwritingProjectFile(projectDir, outFile);
  const runnerPath = options.runnerBundlePath ?? defaultRunnerBundlePath();
  const [listed, runner, runnerMap, description] = await Promise.all([
    listProjectFiles(projectDir),
    readRunnerBundle(runnerPath),
    readRunnerBundle(`${runnerPath}.map`),
    options.description,
  ]);
  // A previous `kiln pack -o` output inside the project must not pack itself.
  const outInProject = relative(projectDir, outFile).split(sep).join('/');
  const files = listed.filter((file) => file.path !== outInProject);

  const entries: ArchiveEntry[] = [
    ...files.map((file) =>
      file.isSymlink
        ? { path: file.path, mode: file.mode, isSymlink: true, data: Buffer.from(file.linkTarget ?? '') }
        : {
            path: file.path,
            mode: file.mode,
            isSymlink: false,
            file: join(projectDir, file.path),
            size: file.size,
          },
    ),
    { path: RUNNER_FILE, mode: 0o644, isSymlink: false, data: runner },
    { path: RUNNER_MAP_FILE, mode: 0o644, isSymlink: false, data: runnerMap },
    {
      path: DESCRIPTION_FILE,
      mode: 0o644,
      isSymlink: false,
      data: Buffer.from(stableJson(description)),
    },
  ].sort((a, b) => (a.path < b.path ? -1 : 1));

  const { warnArchiveMiB, maxArchiveMiB } = description.config.remote;
  const sink = await createSink(outFile);
  const writer = new ZipWriter(async (chunk) => {
    await sink.write(chunk);
    if (sink.size > maxArchiveMiB * MIB) throw tooLarge(maxArchiveMiB, files);
  });
  let sha256: string;
  const totalUncompressed = files.reduce((total, file) => total + file.size, 0);
  const progress: PackProgress = {
    files: 0,
    bytes: 0,
    totalFiles: files.length,
    totalBytes: totalUncompressed,
  };
  const reserved = new Set([RUNNER_FILE, RUNNER_MAP_FILE, DESCRIPTION_FILE]);
  const written = (entry: ArchiveEntry) => {
    if (reserved.has(entry.path)) return;
    progress.files++;
    progress.bytes += 'file' in entry ? entry.size : entry.data.length;
    options.onProgress?.({ ...progress });
  };
  try {
    await writeEntries(writer, entries, options.signal, options.onProgress && written);
    await writer.finish();
    sha256 = await sink.finish();
  } catch (error) {
    await sink.discard().catch(() => {});
    await rm(outFile, { force: true });
    throw error;
  }

  if (sink.size > warnArchiveMiB * MIB) {
    process.stderr.write(
      `kiln: warning: the source archive is ${formatBytes(sink.size)} (remote.warnArchiveMiB is ${warnArchiveMiB}). ` +
        `Biggest directories:\n${describeBiggestDirectories(files)}\n` +
        '  Add ignore rules to .kilnignore (gitignore syntax) for what the build does not need.\n',
    );
  }
  return {
    path: outFile,
    sha256,
    size: sink.size,
    files: files.map(toPackedFile),
    totalUncompressed,
  };
}

/**
 * `kiln pack -o` inside the project may replace an archive kiln wrote there before, never a project
 * file (a typo like `-o package.json` would destroy it).
 */
function refuseOverwritingProjectFile(projectDir: string, outFile: string): void {
  const inside = relative(projectDir, outFile);
  if (inside.startsWith('..') || isAbsolute(inside) || !existsSync(outFile)) return;
  if (isKilnArchive(outFile)) return;
  throw new KilnError(
    `refusing to write the archive over ${inside}: it is a file of the project, not an archive kiln wrote`,
    'Pass another -o path (outside the project is best), or remove that file first if it really is disposable.',
  );
}

/** A zip whose central directory (within its last MiB) names kiln's build description. */
function isKilnArchive(path: string): boolean {
  const opened = openRegularFile(path, { followLinks: false });
  if (!opened) return false;
  const { fd, stats } = opened;
  try {
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    const tail = Buffer.alloc(Math.min(stats.size, 1024 * 1024));
    readSync(fd, tail, 0, tail.length, stats.size - tail.length);
    return head.toString('latin1') === 'PK\x03\x04' && tail.includes(DESCRIPTION_FILE);
  } finally {
    closeSync(fd);
  }
}

function toPackedFile({ path, size, mode, isSymlink }: PackedFile): PackedFile {
  return { path, size, mode, isSymlink };
}

function tooLarge(maxArchiveMiB: number, files: PackedFile[]): KilnError {
  return new KilnError(
    `the source archive exceeds remote.maxArchiveMiB (${maxArchiveMiB} MiB). Biggest directories:\n${describeBiggestDirectories(files)}`,
    'Exclude what the build does not need with a .kilnignore file (gitignore syntax), or raise remote.maxArchiveMiB in kiln.config.',
  );
}

async function createSink(outFile: string): Promise<HashingFileSink> {
  try {
    return await HashingFileSink.create(outFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : `the file system refused (${code ?? 'unknown reason'})`;
    throw new KilnError(
      `cannot write the archive to ${outFile}: ${why}`,
      'Pass -o a file path in an existing, writable folder.',
    );
  }
}

/** dist/runner.cjs from the source tree (lib/pack/) and from the built tree (dist/lib/pack/). */
function defaultRunnerBundlePath(): string {
  const candidates = [resolve(__dirname, '../../dist/runner.cjs'), resolve(__dirname, '../../runner.cjs')];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0]!;
}

async function readRunnerBundle(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new KilnError(`runner bundle missing: run \`npm run build\` (looked for ${path})`);
  }
}
