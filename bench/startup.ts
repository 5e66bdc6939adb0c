// startup: wall time of `kiln --version` and `kiln dockerfile <fixture>` as fresh processes, next to
// `node -e 0` (the floor any Node CLI pays). When a target is missed, lists the imports that cost most.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nowMs, type RowResult, summarize } from './result';

const RUNS = 15;
const FIXTURES = ['examples/node-express', 'test/fixtures/node-express'];

/** Runs each command RUNS times, interleaved so that changes in machine load hit all of them alike. */
function timeRuns(commands: string[][], cwd: string): number[][] {
  const samples = commands.map((): number[] => []);
  for (const args of commands) spawnSync(process.execPath, args, { cwd, stdio: 'ignore' }); // warm the page cache
  for (let i = 0; i < RUNS; i++) {
    commands.forEach((args, index) => {
      const started = nowMs();
      spawnSync(process.execPath, args, { cwd, stdio: 'ignore' });
      samples[index]!.push(nowMs() - started);
    });
  }
  return samples;
}

/** The modules whose loading costs most, inclusive of what they load (measured by bench/require-timing.cjs). */
function heaviestImports(args: string[], cwd: string): string[] {
  const hook = join(__dirname, 'require-timing.cjs');
  const run = spawnSync(process.execPath, ['-r', hook, ...args], { cwd, encoding: 'utf8' });
  const report = run.stderr.split('\n').filter((line) => line.startsWith('require-timing '));
  return report.slice(0, 8).map((line) => `  ${line.slice('require-timing '.length)}`);
}

function why(args: string[], cwd: string): string | undefined {
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  if (run.status === 0 && run.stdout.trim() !== '') return undefined;
  const firstLine = (run.stderr || run.stdout).trim().split('\n')[0] ?? '';
  return `\`kiln ${args.slice(1).join(' ')}\` exits ${run.status}: ${firstLine}`;
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
  return cases.map(({ compared, args, targetMax, missing }) => {
    const base = { row: 'startup', compared, unit: 'ms', targetStat: 'median', targetMax } as const;
    const notMeasured = missing ?? why(args, root);
    if (notMeasured) return { ...base, notMeasured };
    const [times, baselineTimes] = timeRuns([args, ['-e', '0']], root);
    const figure = summarize(times!);
    const baseline = summarize(baselineTimes!);
    const notes = [
      `baseline node -e 0 (interleaved): median ${baseline.median.toFixed(0)} ms (${baseline.min.toFixed(0)}–${baseline.max.toFixed(0)}); kiln's own share ≈ ${(figure.median - baseline.median).toFixed(0)} ms`,
    ];
    if (figure.median > targetMax)
      notes.push('heaviest imports (inclusive ms):', ...heaviestImports(args, root));
    return { ...base, figure, notes };
  });
}
