// startup: `kiln --version` and `kiln dockerfile <fixture>` as fresh processes, interleaved with
// `node -e 0` (the floor any Node CLI pays on this machine). When a median misses its target, lists the
// imports that cost most, so their owners know what to load lazily.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeMs, type RowResult, summarize } from './result';
import { failure, priorityPrefix, timed, wallTime } from './timing';

const RUNS = 15;
/** Runs under bash for CPU time (`times`), kept apart from the wall-time runs that bash would slow. */
const CPU_RUNS = 5;
const PROFILE_RUNS = 5;
const FIXTURES = ['examples/node-express', 'test/fixtures/node-express'];

/** Runs each command `runs` times, interleaved so that changes in machine load hit all of them alike. */
function interleaved<T>(commands: string[][], runs: number, measure: (args: string[]) => T): T[][] {
  const samples = commands.map((): T[] => []);
  for (let i = 0; i < runs; i++) {
    commands.forEach((args, index) => {
      samples[index]!.push(measure(args));
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

function brokenReason(args: string[], cwd: string): string | undefined {
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  if (run.status === 0 && run.stdout.trim() !== '') return undefined;
  return failure(`kiln ${args.slice(1).join(' ')}`, run.status, run.stderr || run.stdout).message;
}

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
  const raised = priorityPrefix();
  return cases.map(({ compared, args, targetMax, missing }) => {
    const base = { row: 'startup', unit: 'ms', targetStat: 'median', targetMax } as const;
    const label = raised.length > 0 ? `${compared} (at ${raised.join(' ')})` : compared;
    const notMeasured = missing ?? brokenReason(args, root);
    if (notMeasured) return { ...base, compared: label, notMeasured };
    const node = [process.execPath];
    // Each command normally and at raised priority (when allowed), all interleaved.
    const commands = [node, [...raised, ...node]].flatMap((prefix) => [
      [...prefix, ...args],
      [...prefix, '-e', '0'],
    ]);
    const run = (commandLine: string[]) => wallTime(commandLine.join(' '), commandLine, root);
    for (const command of commands) run(command); // warm the page cache
    const [wall, baselineWall, raisedWall, raisedBaselineWall] = interleaved(commands, RUNS, run);
    const [cpu, baselineCpu] = interleaved(commands.slice(0, 2), CPU_RUNS, (commandLine) =>
      timed(commandLine.join(' '), commandLine, root),
    );
    const figure = summarize(raised.length > 0 ? raisedWall! : wall!);
    const notes = [
      `wall: kiln ${describeMs(wall!)}, node -e 0 ${describeMs(baselineWall!)} (interleaved)`,
      ...(raised.length > 0
        ? [
            `wall at ${raised.join(' ')}: kiln ${describeMs(raisedWall!)}, node -e 0 ${describeMs(raisedBaselineWall!)}`,
          ]
        : []),
      `CPU (user+sys, ${CPU_RUNS} runs): kiln ${describeMs(cpu!.map((c) => c.cpuMs))}, node -e 0 ${describeMs(baselineCpu!.map((c) => c.cpuMs))}`,
    ];
    if (figure.median > targetMax)
      notes.push('costliest imports (inclusive ms):', ...heaviestImports(args, root));
    return { ...base, compared: label, figure, notes };
  });
}
