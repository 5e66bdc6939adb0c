// startup: `kiln --version` and `kiln dockerfile <fixture>` as fresh processes, interleaved with
// `node -e 0` (the floor any Node CLI pays on this machine) and, with KILN_BENCH_BASELINE, with the
// same command of another kiln build (a ratio row each). When a median misses its target, lists the
// imports that cost most, so their owners know what to load lazily.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { baselineRoot, ratioRow } from './baseline';
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
  const baseline = baselineRoot();
  const fixture = FIXTURES.find((path) => existsSync(join(root, path)));
  const cases = [
    { compared: 'kiln --version', args: ['--version'], targetMax: 150 },
    {
      compared: `kiln dockerfile ${fixture ?? '<fixture>'}`,
      args: ['dockerfile', fixture ?? ''],
      targetMax: 300,
      missing: fixture ? undefined : `no fixture yet (${FIXTURES.join(' or ')})`,
    },
  ];
  const raised = priorityPrefix();
  return cases.flatMap(({ compared, args, targetMax, missing }): RowResult[] => {
    const base = { row: 'startup', unit: 'ms', targetStat: 'median', targetMax } as const;
    const label = raised.length > 0 ? `${compared} (at ${raised.join(' ')})` : compared;
    const kilnArgs = [kiln, ...args];
    const baselineArgs = baseline ? [[join(baseline, 'bin/kiln.js'), ...args]] : [];
    const notMeasured =
      missing ?? [kilnArgs, ...baselineArgs].map((a) => brokenReason(a, root)).find(Boolean);
    if (notMeasured) return [{ ...base, compared: label, notMeasured }];
    const node = [process.execPath];
    // Each command (this kiln, the baseline's, node -e 0) normally and at raised priority (when
    // allowed), all interleaved.
    const perPrefix = [kilnArgs, ['-e', '0'], ...baselineArgs];
    const commands = [node, [...raised, ...node]].flatMap((prefix) =>
      perPrefix.map((commandArgs) => [...prefix, ...commandArgs]),
    );
    const run = (commandLine: string[]) => wallTime(commandLine.join(' '), commandLine, root);
    for (const command of commands) run(command); // warm the page cache
    const samples = interleaved(commands, RUNS, run);
    const [wall, nodeWall, baselineKilnWall] = samples;
    const [raisedWall, raisedNodeWall, raisedBaselineKilnWall] = samples.slice(perPrefix.length);
    const [cpu, nodeCpu] = interleaved(commands.slice(0, 2), CPU_RUNS, (commandLine) =>
      timed(commandLine.join(' '), commandLine, root),
    );
    const figure = summarize(raised.length > 0 ? raisedWall! : wall!);
    const notes = [
      `wall: kiln ${describeMs(wall!)}, node -e 0 ${describeMs(nodeWall!)} (interleaved)`,
      ...(raised.length > 0
        ? [
            `wall at ${raised.join(' ')}: kiln ${describeMs(raisedWall!)}, node -e 0 ${describeMs(raisedNodeWall!)}`,
          ]
        : []),
      `CPU (user+sys, ${CPU_RUNS} runs): kiln ${describeMs(cpu!.map((c) => c.cpuMs))}, node -e 0 ${describeMs(nodeCpu!.map((c) => c.cpuMs))}`,
    ];
    if (figure.median > targetMax)
      notes.push('costliest imports (inclusive ms):', ...heaviestImports(kilnArgs, root));
    const rows: RowResult[] = [{ ...base, compared: label, figure, notes }];
    if (baseline) {
      const [current, old] =
        raised.length > 0 ? [raisedWall!, raisedBaselineKilnWall!] : [wall!, baselineKilnWall!];
      rows.push(ratioRow('startup', label, current, old, [`baseline: ${baseline}`]));
    }
    return rows;
  });
}
