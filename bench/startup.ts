// startup: `kiln --version` and `kiln dockerfile <fixture>` as fresh processes, interleaved with
// `node -e 0` (the floor any Node CLI pays on this machine). When a median misses its target, lists the
// imports that cost most, so their owners know what to load lazily.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type RowResult, summarize } from './result';
import { type Timing, timed } from './timing';

const RUNS = 15;
const PROFILE_RUNS = 5;
const FIXTURES = ['examples/node-express', 'test/fixtures/node-express'];

/** Runs each command RUNS times, interleaved so that changes in machine load hit all of them alike. */
function timeRuns(commands: string[][], cwd: string): Timing[][] {
  const samples = commands.map((): Timing[] => []);
  for (const args of commands) timed('warm-up', process.execPath, args, cwd); // page cache
  for (let i = 0; i < RUNS; i++) {
    commands.forEach((args, index) => {
      samples[index]!.push(timed(`node ${args.join(' ')}`, process.execPath, args, cwd));
    });
  }
  return samples;
}

/**
 * The costliest imports (inclusive of what they load; median over a few runs with
 * bench/require-timing.cjs preloaded), each with the file that imported it.
 */
function heaviestImports(args: string[], cwd: string): string[] {
  const hook = join(__dirname, 'require-timing.cjs');
  const samples = new Map<string, { from: string; ms: number[] }>();
  for (let i = 0; i < PROFILE_RUNS; i++) {
    const run = spawnSync(process.execPath, ['-r', hook, ...args], { cwd, encoding: 'utf8' });
    for (const match of run.stderr.matchAll(
      /^require-timing\s+([\d.]+) ms {2}(\S+) {2}\(imported by (.*)\)$/gm,
    )) {
      const [, ms, unit, from] = match;
      const entry = samples.get(unit!) ?? { from: from!, ms: [] };
      entry.ms.push(Number(ms));
      samples.set(unit!, entry);
    }
  }
  return [...samples]
    .map(([unit, { from, ms }]) => ({ unit, from, median: summarize(ms).median }))
    .sort((a, b) => b.median - a.median)
    .slice(0, 8)
    .map(({ unit, from, median }) => `  ${median.toFixed(1).padStart(6)} ms  ${unit}  (imported by ${from})`);
}

function failure(args: string[], cwd: string): string | undefined {
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  if (run.status === 0 && run.stdout.trim() !== '') return undefined;
  const firstLine = (run.stderr || run.stdout).trim().split('\n')[0] ?? '';
  return `\`kiln ${args.slice(1).join(' ')}\` exits ${run.status}: ${firstLine}`;
}

const describe = (timings: Timing[], key: keyof Timing) => {
  const { median, min, max } = summarize(timings.map((timing) => timing[key]));
  return `${median.toFixed(0)} ms (${min.toFixed(0)}–${max.toFixed(0)})`;
};

export async function benchStartup(root: string): Promise<RowResult[]> {
  const kiln = join(root, 'bin/kiln.js');
  const fixture = FIXTURES.find((path) => existsSync(join(root, path)));
  const cases = [
    { compared: 'kiln --version', args: [kiln, '--version'], targetMax: 150 },
    {
      compared: `kiln dockerfile ${fixture ?? '<fixture>'}`,
      args: [kiln, 'dockerfile', fixture ?? ''],
      targetMax: 300,
      missing: fixture ? undefined : `no fixture yet (${FIXTURES.join(' or ')})`,
    },
  ];
  return cases.map(({ compared, args, targetMax, missing }) => {
    const base = { row: 'startup', compared, unit: 'ms', targetStat: 'median', targetMax } as const;
    const notMeasured = missing ?? failure(args, root);
    if (notMeasured) return { ...base, notMeasured };
    const [runs, baselineRuns] = timeRuns([args, ['-e', '0']], root);
    const figure = summarize(runs!.map((run) => run.wallMs));
    const notes = [
      `wall: kiln ${describe(runs!, 'wallMs')}, node -e 0 ${describe(baselineRuns!, 'wallMs')} (each under bash, which adds a few ms)`,
      `CPU (user+sys): kiln ${describe(runs!, 'cpuMs')}, node -e 0 ${describe(baselineRuns!, 'cpuMs')}`,
    ];
    if (figure.median > targetMax)
      notes.push('costliest imports (inclusive ms):', ...heaviestImports(args, root));
    return { ...base, figure, notes };
  });
}
