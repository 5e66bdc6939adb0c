// pack: `kiln pack -o` against `git archive --format=zip HEAD` on the generated repository (same file set,
// checked entry by entry), time and archive bytes. Interleaved runs after one untimed warm-up of each.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openPromise } from 'yauzl';
import { RESERVED_DIR } from '../contract/description';
import { ensureBenchRepository } from './generate-repo';
import { describeMs, type RowResult, summarize } from './result';
import { priorityPrefix, type Timing, timed } from './timing';

const RUNS = 5;

interface ZipListing {
  user: string[];
  reserved: string[];
  /** File entries stored rather than deflated. */
  stored: number;
  /** Compressed bytes of kiln's reserved entries (the runner bundle and build.json). */
  reservedBytes: number;
}

/** File entries of a zip (directory entries dropped, kiln's reserved folder kept apart). */
async function listZip(path: string): Promise<ZipListing> {
  const zip = await openPromise(path, { lazyEntries: true });
  const listing: ZipListing = { user: [], reserved: [], stored: 0, reservedBytes: 0 };
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      const reserved = entry.fileName.startsWith(`${RESERVED_DIR}/`);
      (reserved ? listing.reserved : listing.user).push(entry.fileName);
      if (reserved) listing.reservedBytes += entry.compressedSize;
      if (entry.compressionMethod === 0) listing.stored++;
    }
  } finally {
    zip.close();
  }
  return listing;
}

/** Files and bytes under the repository before any ignore rule (without .git). */
function sizeBeforeIgnores(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || `${entry.parentPath}/`.includes('/.git/')) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

/** Describes how two archives' file sets differ, or returns undefined when they are equal. */
function fileSetDifference(kiln: string[], git: string[]): string | undefined {
  const gitSet = new Set(git);
  const kilnSet = new Set(kiln);
  const onlyKiln = kiln.filter((name) => !gitSet.has(name));
  const onlyGit = git.filter((name) => !kilnSet.has(name));
  if (onlyKiln.length === 0 && onlyGit.length === 0) return undefined;
  return `file sets differ: ${onlyKiln.length} only in kiln's (${onlyKiln.slice(0, 3).join(', ')}), ${onlyGit.length} only in git's (${onlyGit.slice(0, 3).join(', ')})`;
}

export async function benchPack(root: string, workDir: string): Promise<RowResult[]> {
  const base = { row: 'pack', unit: 'x', targetStat: 'median' } as const;
  const rows = [
    { ...base, compared: 'kiln pack / git archive (time)', targetMax: 0.67 },
    { ...base, compared: 'kiln pack / git archive (bytes)', targetMax: 1.05 },
  ];
  const repo = ensureBenchRepository(workDir);
  const outDir = join(workDir, 'out');
  mkdirSync(outDir, { recursive: true });
  const kilnZip = join(outDir, 'kiln.zip');
  const gitZip = join(outDir, 'git.zip');
  const kilnArgs = [process.execPath, join(root, 'bin/kiln.js'), 'pack', repo, '-o', kilnZip];
  const gitArgs = ['git', 'archive', '--format=zip', 'HEAD', '-o', gitZip];
  const kiln = (prefix: string[] = []) => timed('kiln pack <repo> -o <zip>', [...prefix, ...kilnArgs], repo);
  const git = (prefix: string[] = []) =>
    timed('git archive --format=zip HEAD', [...prefix, ...gitArgs], repo);

  try {
    kiln(); // warm-up, untimed: page cache and the CLI's own files
  } catch (error) {
    return rows.map((row) => ({ ...row, notMeasured: (error as Error).message }));
  }
  git();

  const [kilnZipListing, gitZipListing] = await Promise.all([listZip(kilnZip), listZip(gitZip)]);
  const difference = fileSetDifference(kilnZipListing.user, gitZipListing.user);
  if (difference) return rows.map((row) => ({ ...row, notMeasured: difference }));

  // Pairs at normal priority and, when allowed, at raised priority (see priorityPrefix), interleaved.
  const raised = priorityPrefix();
  const variants = [[], ...(raised.length > 0 ? [raised] : [])].map((prefix) => ({
    prefix,
    kiln: [] as Timing[],
    git: [] as Timing[],
  }));
  for (let i = 0; i < RUNS; i++) {
    for (const variant of variants) {
      // Alternate who goes first, so drift in machine load hits both sides alike.
      const order = i % 2 === 0 ? (['kiln', 'git'] as const) : (['git', 'kiln'] as const);
      for (const side of order)
        variant[side].push(side === 'kiln' ? kiln(variant.prefix) : git(variant.prefix));
    }
  }
  const shown = variants.at(-1)!;
  const kilnBytes = statSync(kilnZip).size;
  const gitBytes = statSync(gitZip).size;
  const before = sizeBeforeIgnores(repo);
  const tracked = execFileSync('git', ['ls-files'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .filter(Boolean).length;
  const ms = (runs: Timing[], key: keyof Timing) => describeMs(runs.map((run) => run[key]));
  const priority = (prefix: string[]) => (prefix.length > 0 ? ` at ${prefix.join(' ')}` : '');
  return [
    {
      ...rows[0]!,
      compared: `${rows[0]!.compared}${priority(shown.prefix)}`,
      figure: summarize(shown.kiln.map((run, i) => run.wallMs / shown.git[i]!.wallMs)),
      sample: 'pair',
      notes: [
        `repository: ${before.files} files, ${(before.bytes / 1e6).toFixed(0)} MB before ignores (without .git)`,
        `file set: ${kilnZipListing.user.length} files in kiln's archive = ${gitZipListing.user.length} in git's = ${tracked} tracked (kiln adds ${kilnZipListing.reserved.length} in ${RESERVED_DIR}/)`,
        ...variants.flatMap(({ prefix, kiln: kilnRuns, git: gitRuns }) => {
          const ratios = summarize(kilnRuns.map((r, i) => r.wallMs / gitRuns[i]!.wallMs));
          return [
            `wall${priority(prefix)}: kiln pack ${ms(kilnRuns, 'wallMs')}, git archive ${ms(gitRuns, 'wallMs')}; ratio per pair median ${ratios.median.toFixed(3)} (${ratios.min.toFixed(3)}–${ratios.max.toFixed(3)})`,
            `CPU (user+sys)${priority(prefix)}: kiln pack ${ms(kilnRuns, 'cpuMs')}, git archive ${ms(gitRuns, 'cpuMs')}`,
          ];
        }),
      ],
    },
    {
      ...rows[1]!,
      figure: summarize([kilnBytes / gitBytes]),
      notes: [
        `kiln: ${kilnBytes} bytes (${kilnZipListing.reservedBytes} of them kiln's ${RESERVED_DIR}/), ${kilnZipListing.stored} entries stored; git archive: ${gitBytes} bytes, ${gitZipListing.stored} stored`,
      ],
    },
  ];
}
