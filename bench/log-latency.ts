// log latency: the loopback fakes of CodeBuild, CloudWatch Logs and STS serve running builds while
// `kiln logs <id> --follow` runs as a child process; lines are appended at known times and timestamped
// when they arrive on the child's output. Figure: printed − appended. Two rows, measured side by side:
// lines while the build runs (irregular gaps, some bursts), and the first line of a build followed from
// StartBuild, appended the moment the build names its log stream (after a PROVISIONING of seconds, as
// on CodeBuild), the case where the follower waits on the build status rather than on the log.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type AwsFake, startAwsFake } from '../test/helpers/fakes/aws-fake-server';
import { streamOf } from '../test/helpers/fakes/codebuild-model';
import { nowMs, type RowResult, summarize } from './result';

const LINES = 60;
/** Gaps between appends, cycled: bursts (0 ms) and pauses around and above the poll interval. */
const GAPS_MS = [0, 0, 120, 350, 40, 700, 0, 260, 1100, 90, 480, 30];
/** PROVISIONING lengths of the first-line builds: spread over the 5 s status interval. */
const PROVISIONING_MS = [2600, 3400, 4200, 5000, 5800, 6600, 7400, 8200];
const PRINT_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = nowMs() + timeoutMs;
  while (!condition()) {
    if (nowMs() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

interface FollowingCli {
  child: ChildProcess;
  /** When each `bench-line-N` was printed. */
  printedAt: Map<number, number>;
  output: () => string;
  /** Stops the build and waits for the CLI to exit. */
  end: () => Promise<void>;
}

/** `kiln logs <id> --follow` against the fake, its output lines timestamped as they arrive. */
function followWithCli(root: string, fake: AwsFake, id: string): FollowingCli {
  const child = spawn(process.execPath, [join(root, 'bin/kiln.js'), 'logs', id, '--follow'], {
    cwd: root,
    env: { ...process.env, ...fake.env(), NO_COLOR: '1' },
  });
  const printedAt = new Map<number, number>();
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      const at = nowMs();
      output += `${line}\n`;
      const match = /bench-line-(\d+)/.exec(line);
      if (match) printedAt.set(Number(match[1]), at);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    child,
    printedAt,
    output: () => output,
    end: async () => {
      fake.codebuild.handle('StopBuild', { id });
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export async function benchLogLatency(root: string): Promise<RowResult[]> {
  const base = {
    row: 'log latency',
    compared: 'printed − appended (kiln logs --follow)',
    unit: 'ms',
    targetStat: 'p95',
    targetMax: 2000,
  } as const;
  const fake = await startAwsFake();
  try {
    return [
      await linesWhileRunning(root, fake, base),
      await firstLines(root, fake, {
        ...base,
        compared: 'first line: printed − appended as the stream is named (followed from StartBuild)',
      }),
    ];
  } finally {
    await fake.close();
  }
}

async function linesWhileRunning(root: string, fake: AwsFake, base: BaseRow): Promise<RowResult> {
  const build = fake.codebuild.start('bench', { phaseMs: 10, holdBuildMs: 120_000 });
  const cli = followWithCli(root, fake, build.id!);
  try {
    await waitFor(() => build.currentPhase === 'BUILD', 10_000, 'the fake build to reach BUILD');
    // Following has begun once the lines already in the stream are printed.
    await waitFor(
      () => /✓ PRE_BUILD/.test(cli.output()),
      20_000,
      `kiln logs to print the log (output so far: ${cli.output().slice(0, 300)})`,
    );
    const appendedAt: number[] = [];
    for (let i = 0; i < LINES; i++) {
      await sleep(GAPS_MS[i % GAPS_MS.length]!);
      appendedAt.push(nowMs());
      fake.logs.append('/kiln/builds', streamOf(build), `bench-line-${i}\n`);
    }
    await waitFor(() => cli.printedAt.size === LINES, PRINT_TIMEOUT_MS, 'all lines').catch(() => {});
    return latencyRow(base, appendedAt, cli.printedAt, [
      `${LINES} lines appended with gaps cycling through ${GAPS_MS.join('/')} ms`,
    ]);
  } finally {
    await cli.end();
  }
}

/** One build per PROVISIONING length, followed from StartBuild; its first line appended as the stream is named. */
async function firstLines(root: string, fake: AwsFake, base: BaseRow): Promise<RowResult> {
  const appendedAt: number[] = [];
  const printedAt = new Map<number, number>();
  for (const [i, provisioningMs] of PROVISIONING_MS.entries()) {
    const build = fake.codebuild.start('bench', {
      phaseMs: 10,
      phaseMsOf: { QUEUED: 300, PROVISIONING: provisioningMs },
      holdBuildMs: 60_000,
    });
    const cli = followWithCli(root, fake, build.id!);
    try {
      await waitFor(() => Boolean(build.logs?.streamName), 20_000, 'the fake build to name its stream');
      appendedAt.push(nowMs());
      fake.logs.append('/kiln/builds', streamOf(build), `bench-line-${i}\n`);
      await waitFor(() => cli.printedAt.has(i), PRINT_TIMEOUT_MS, 'the first line').catch(() => {});
      if (cli.printedAt.has(i)) printedAt.set(i, cli.printedAt.get(i)!);
    } finally {
      await cli.end();
    }
  }
  return latencyRow(base, appendedAt, printedAt, [
    `${PROVISIONING_MS.length} builds followed from StartBuild, PROVISIONING ${PROVISIONING_MS.join('/')} ms; the first line appended as the build names its stream`,
  ]);
}

type BaseRow = Omit<RowResult, 'figure' | 'notes' | 'sample'>;

function latencyRow(
  base: BaseRow,
  appendedAt: number[],
  printedAt: Map<number, number>,
  notes: string[],
): RowResult {
  const latencies = appendedAt.flatMap((at, i) => (printedAt.has(i) ? [printedAt.get(i)! - at] : []));
  if (latencies.length === 0)
    return { ...base, notMeasured: `no line printed within ${PRINT_TIMEOUT_MS} ms` };
  const figure = summarize(latencies);
  const missing = appendedAt.length - latencies.length;
  return {
    ...base,
    figure,
    sample: 'line',
    notes: [
      `${notes.join('; ')}; p50 ${figure.median.toFixed(0)} ms, p95 ${figure.p95.toFixed(0)} ms, max ${figure.max.toFixed(0)} ms`,
      ...(missing > 0
        ? [`${missing} lines never printed within ${PRINT_TIMEOUT_MS} ms (not in the figure)`]
        : []),
    ],
  };
}
