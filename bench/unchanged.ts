// unchanged re-run: `kiln build --json` of a project that was built already, as a real process against
// s3rver and the loopback CodeBuild / ECR / STS fakes. The first run builds (its StartBuild carries the
// input tag, which the fake ECR then holds, as the runner's push would); each re-run must find that
// image with one ECR lookup and start no build. Figure: wall time of a re-run. With KILN_BENCH_BASELINE
// the baseline kiln builds too (its runner bundle makes another input key), and its re-runs alternate
// with this checkout's: a ratio row.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FAKE_ACCOUNT, startAwsFake } from '../test/helpers/fakes/aws-fake-server';
import { startS3rver } from '../test/helpers/s3rver';
import { baselineRoot, ratioRow } from './baseline';
import { describeMs, nowMs, type RowResult, summarize } from './result';

const run = promisify(execFile);
const RERUNS = 9;

export async function benchUnchanged(root: string): Promise<RowResult[]> {
  const base = {
    row: 'unchanged re-run',
    compared: '`kiln build` wall time when ECR holds the input key (fakes)',
    unit: 'ms',
    targetStat: 'max',
    targetMax: 3000,
  } as const;
  const s3 = await startS3rver([`kiln-source-${FAKE_ACCOUNT}-us-east-1`]);
  const fake = await startAwsFake();
  const project = await mkdtemp(join(tmpdir(), 'kiln-bench-unchanged-'));
  try {
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'demo', scripts: { start: 'node .' } }),
    );
    await writeFile(join(project, 'index.js'), 'console.log("hi");\n');
    fake.codebuild.script = { phaseMs: 5, lines: [], exported: {} };
    const env = { ...process.env, ...fake.env(s3.endpoint), HOME: project, NO_COLOR: '1' };
    const build = async (kilnRoot: string) => {
      const started = nowMs();
      const { stdout } = await run(
        process.execPath,
        [join(kilnRoot, 'bin/kiln.js'), 'build', project, '--json'],
        {
          env,
        },
      );
      return { ms: nowMs() - started, skipped: JSON.parse(stdout).skipped === true };
    };
    const baseline = baselineRoot();
    const roots = baseline ? [root, baseline] : [root];
    for (const kilnRoot of roots) await build(kilnRoot);
    const lookupsBefore = fake.ecrCalls.BatchGetImage ?? 0;
    const samples = roots.map((): number[] => []);
    for (let i = 0; i < RERUNS; i++) {
      // Alternate which one goes first, so neither always follows the other's disk and CPU traffic.
      const order = i % 2 === 0 ? roots.keys() : [...roots.keys()].reverse();
      for (const index of order) {
        const rerun = await build(roots[index]!);
        if (!rerun.skipped) throw new Error(`re-run ${i + 1} of ${roots[index]} was not skipped`);
        samples[index]!.push(rerun.ms);
      }
    }
    const [current, old] = samples;
    const lookups = ((fake.ecrCalls.BatchGetImage ?? 0) - lookupsBefore) / (RERUNS * roots.length);
    const starts = fake.codebuild.calls.filter((call) => call.operation === 'StartBuild').length;
    return [
      {
        ...base,
        figure: summarize(current!),
        notes: [
          `re-runs ${describeMs(current!)}; ECR lookups per re-run: ${lookups}; CodeBuild builds started: ${starts} (the first run of each kiln only)`,
        ],
      },
      ...(old ? [ratioRow(base.row, '`kiln build` re-run', current!, old, [`baseline: ${baseline}`])] : []),
    ];
  } finally {
    await fake.close();
    await s3.stop();
    await rm(project, { recursive: true, force: true });
  }
}
