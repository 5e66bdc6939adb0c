// pack: `kiln pack -o` against `git archive --format=zip HEAD` on the generated repository (same file set,
// checked entry by entry), time and archive bytes. Interleaved runs after one untimed warm-up of each.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RESERVED_DIR } from '../runner/description';
import { ensureBenchRepository } from './generate-repo';
import { nowMs, type RowResult, summarize } from './result';

const RUNS = 5;

/** File entries of a zip (directories dropped, kiln's reserved folder kept apart). */
function zipEntries(path: string): { user: string[]; reserved: string[] } {
  const names = execFileSync('zipinfo', ['-1', path], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .filter((name) => name !== '' && !name.endsWith('/'));
  const isReserved = (name: string) => name.startsWith(`${RESERVED_DIR}/`);
  return { user: names.filter((name) => !isReserved(name)), reserved: names.filter(isReserved) };
}

function timed(label: string, command: string, args: string[], cwd: string): number {
  const started = nowMs();
  const run = spawnSync(command, args, { cwd, encoding: 'utf8' });
  const elapsed = nowMs() - started;
  if (run.status !== 0) {
    throw new Error(`\`${label}\` exits ${run.status}: ${run.stderr.trim().split('\n')[0]}`);
  }
  return elapsed;
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
  const kiln = () =>
    timed(
      'kiln pack <repo> -o <zip>',
      process.execPath,
      [join(root, 'bin/kiln.js'), 'pack', repo, '-o', kilnZip],
      repo,
    );
  const git = () =>
    timed('git archive --format=zip HEAD', 'git', ['archive', '--format=zip', 'HEAD', '-o', gitZip], repo);

  try {
    kiln(); // warm-up, untimed: page cache and the CLI's own files
  } catch (error) {
    return rows.map((row) => ({ ...row, notMeasured: (error as Error).message }));
  }
  git();

  const kilnEntries = zipEntries(kilnZip);
  const gitEntries = zipEntries(gitZip);
  const tracked = execFileSync('git', ['ls-files'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .filter(Boolean).length;
  const difference = fileSetDifference(kilnEntries.user, gitEntries.user);
  if (difference) return rows.map((row) => ({ ...row, notMeasured: difference }));

  const kilnTimes: number[] = [];
  const gitTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate who goes first, so drift in machine load hits both sides alike.
    if (i % 2 === 0) {
      kilnTimes.push(kiln());
      gitTimes.push(git());
    } else {
      gitTimes.push(git());
      kilnTimes.push(kiln());
    }
  }
  const kilnBytes = statSync(kilnZip).size;
  const gitBytes = statSync(gitZip).size;
  const kilnTime = summarize(kilnTimes);
  const gitTime = summarize(gitTimes);
  const fileSet = `file set: ${kilnEntries.user.length} files in kiln's archive = ${gitEntries.user.length} in git's = ${tracked} tracked (plus ${kilnEntries.reserved.length} in kiln's ${RESERVED_DIR}/)`;
  const before = sizeBeforeIgnores(repo);
  const repository = `repository: ${before.files} files, ${(before.bytes / 1e6).toFixed(0)} MB before ignores (without .git)`;
  return [
    {
      ...rows[0]!,
      figure: summarize(kilnTimes.map((time, i) => time / gitTimes[i]!)),
      notes: [
        repository,
        fileSet,
        `kiln pack: median ${kilnTime.median.toFixed(0)} ms (${kilnTime.min.toFixed(0)}–${kilnTime.max.toFixed(0)}); git archive: median ${gitTime.median.toFixed(0)} ms (${gitTime.min.toFixed(0)}–${gitTime.max.toFixed(0)}); ratio per interleaved pair`,
      ],
    },
    {
      ...rows[1]!,
      figure: summarize([kilnBytes / gitBytes]),
      notes: [`kiln: ${kilnBytes} bytes; git archive: ${gitBytes} bytes (deterministic, one figure)`],
    },
  ];
}
