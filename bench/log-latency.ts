// log latency: the loopback fakes of CodeBuild, CloudWatch Logs and STS serve one running build while
// `kiln logs <id> --follow` runs as a child process; lines are appended at known times (irregular gaps,
// some bursts) and timestamped when they arrive on the child's output. Figure: printed − appended.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startAwsFake } from '../test/helpers/fakes/aws-fake-server';
import { nowMs, type RowResult, summarize } from './result';

const LINES = 60;
/** Gaps between appends, cycled: bursts (0 ms) and pauses around and above the poll interval. */
const GAPS_MS = [0, 0, 120, 350, 40, 700, 0, 260, 1100, 90, 480, 30];
const PRINT_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = nowMs() + timeoutMs;
  while (!condition()) {
    if (nowMs() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
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
  const build = fake.codebuild.start('bench', { phaseMs: 10, holdBuildMs: 120_000 });
  const id = build.id!;
  const { groupName, streamName } = build.logs as { groupName: string; streamName: string };
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
  try {
    await waitFor(() => build.currentPhase === 'BUILD', 10_000, 'the fake build to reach BUILD');
    // Following has begun once the lines already in the stream are printed.
    await waitFor(
      () => /✓ PRE_BUILD/.test(output),
      20_000,
      `kiln logs to print the log (output so far: ${output.slice(0, 300)})`,
    );
    const appendedAt: number[] = [];
    for (let i = 0; i < LINES; i++) {
      await sleep(GAPS_MS[i % GAPS_MS.length]!);
      appendedAt.push(nowMs());
      fake.logs.append(groupName, streamName, `bench-line-${i}\n`);
    }
    await waitFor(
      () => printedAt.size === LINES,
      PRINT_TIMEOUT_MS,
      `all ${LINES} lines (printed ${printedAt.size})`,
    ).catch(() => {});
    const latencies = appendedAt.flatMap((at, i) => (printedAt.has(i) ? [printedAt.get(i)! - at] : []));
    const missing = LINES - latencies.length;
    if (latencies.length === 0)
      return [{ ...base, notMeasured: `no line printed within ${PRINT_TIMEOUT_MS} ms` }];
    const figure = summarize(latencies);
    return [
      {
        ...base,
        figure,
        sample: 'line',
        notes: [
          `${LINES} lines appended with gaps cycling through ${GAPS_MS.join('/')} ms; p50 ${figure.median.toFixed(0)} ms, p95 ${figure.p95.toFixed(0)} ms, max ${figure.max.toFixed(0)} ms`,
          ...(missing > 0
            ? [`${missing} lines never printed within ${PRINT_TIMEOUT_MS} ms (not in the figure)`]
            : []),
        ],
      },
    ];
  } finally {
    fake.codebuild.handle('StopBuild', { id });
    const timer = setTimeout(() => child.kill(), 10_000);
    await exited;
    clearTimeout(timer);
    await fake.close();
  }
}
