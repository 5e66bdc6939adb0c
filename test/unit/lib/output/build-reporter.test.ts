import { agentMarker, isAgentBookkeeping } from '../../../../lib/follow/agent-log';
import type { BuildOutcome } from '../../../../lib/follow/outcome';
import { BuildReporter } from '../../../../lib/output/build-reporter';
import { createPackProgress } from '../../../../lib/output/pack-progress';
import { formatTable } from '../../../../lib/output/table';
import { createTerminal } from '../../../../lib/output/terminal';

/** A plain (not interactive) terminal writing into a string, as on a pipe or in CI. */
function plainTerminal() {
  let written = '';
  const stream = {
    isTTY: false,
    write: (text: string) => {
      written += text;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { terminal: createTerminal(stream, { CI: 'true' }, false), output: () => written };
}

const log = (message: string) => ({ kind: 'log' as const, line: { timestamp: 0, message } });
const failed: BuildOutcome = {
  buildId: 'kiln:1',
  status: 'FAILED',
  exitCode: 10,
  durationSeconds: 48,
  tags: [],
  failedPhase: {
    phase: 'BUILD',
    status: 'FAILED',
    message: 'Error while executing command: node x. Reason: exit status 1',
  },
};

test('plain output: phase lines with durations, a "still waiting" line every 30 s, no carriage return or escape', () => {
  const { terminal, output } = plainTerminal();
  let now = 0;
  const reporter = new BuildReporter(terminal, { now: () => now });
  reporter.event({ kind: 'phase-start', phase: 'QUEUED' });
  for (now = 0; now <= 65_000; now += 1000) reporter.tick();
  reporter.event({ kind: 'phase-end', phase: 'QUEUED', status: 'SUCCEEDED', seconds: 65 });
  reporter.event({ kind: 'phase-start', phase: 'BUILD' });
  for (; now <= 200_000; now += 1000) reporter.tick();
  reporter.event({ kind: 'phase-end', phase: 'BUILD', status: 'FAILED', seconds: 2.5 });
  reporter.stop();
  expect(output()).toBe(
    'kiln waiting for a build machine (QUEUED, 30s)\n' +
      'kiln waiting for a build machine (QUEUED, 1m 00s)\n' +
      '✓ QUEUED           1m 05s\n' +
      '✖ BUILD            FAILED 2.5s\n',
  );
});

test('a failed build’s summary: the runner’s failed step, its hint and the lines before it; CodeBuild’s generic reason left out', () => {
  const { terminal, output } = plainTerminal();
  const reporter = new BuildReporter(terminal);
  for (let index = 0; index < 10; index++) reporter.event(log(`  │ step output ${index}`));
  reporter.event(log('[kiln] ✗ step "build image" failed: docker build exited with code 1'));
  reporter.event(log('[kiln]   hint: See the docker output above.'));
  reporter.summary(failed);
  const summary = output().slice(output().indexOf('✖ FAILED'));
  expect(summary).toBe(
    '✖ FAILED in 48s: step "build image" failed: docker build exited with code 1 (in BUILD)\n' +
      '  hint: See the docker output above.\n' +
      '  last lines of the build log:\n' +
      [2, 3, 4, 5, 6, 7, 8, 9].map((index) => `      │ step output ${index}\n`).join(''),
  );
});

test('without a runner failure line the summary gives the phase and CodeBuild’s reason once, and escapes stay visible', () => {
  const { terminal, output } = plainTerminal();
  const reporter = new BuildReporter(terminal);
  reporter.event(log('npm ERR! \x1b]0;owned\x07'));
  reporter.summary(failed);
  expect(output()).toContain(
    '✖ FAILED in 48s: BUILD FAILED (Error while executing command: node x. Reason: exit status 1)\n',
  );
  expect(output()).toContain('    npm ERR! \\x1b]0;owned\\x07\n');
  expect(output().match(/Error while executing/g)).toHaveLength(1);
});

test('the agent’s phase lines are recognised in both of its formats; other lines are the build’s', () => {
  const at = '[Container] 2026/11/30 19:00:00.123456';
  expect(agentMarker(`${at} Entering phase BUILD`)).toEqual({ kind: 'start', phase: 'BUILD' });
  expect(agentMarker(`${at} Phase is DOWNLOAD_SOURCE`)).toEqual({ kind: 'start', phase: 'DOWNLOAD_SOURCE' });
  expect(agentMarker(`${at} Phase complete: BUILD State: FAILED`)).toEqual({
    kind: 'end',
    phase: 'BUILD',
    status: 'FAILED',
  });
  expect(agentMarker('[Container] 2018/10/04 03:00:19 Phase complete: BUILD Success: false')).toEqual({
    kind: 'end',
    phase: 'BUILD',
    status: 'FAILED',
  });
  expect(agentMarker(`${at} Phase context status code:  Message: `)).toEqual({
    kind: 'context',
    code: '',
    message: '',
  });
  expect(isAgentBookkeeping(`${at} Command did not exit successfully node x exit status 1`)).toBe(true);
  expect(isAgentBookkeeping(`${at} Running command node x`)).toBe(false);
  // The build's own output that merely mentions a phase is never taken for the agent's.
  expect(agentMarker('echo "[Container] Entering phase BUILD"')).toBeUndefined();
});

test('a table: header, padded columns, no trailing spaces, colours after padding', () => {
  const lines = formatTable(
    ['ID', 'STATUS', 'IMAGE'],
    [
      ['kiln:1', 'FAILED', ''],
      ['kiln:22', 'SUCCEEDED', 'repo:v1'],
    ],
    {
      1: (cell) => `<${cell}>`,
    },
  );
  expect(lines).toEqual([
    'ID       STATUS     IMAGE',
    'kiln:1   <FAILED   >',
    'kiln:22  <SUCCEEDED>  repo:v1',
  ]);
});

test('pack progress: silent for a quick pack, then a plain line every 5 s', () => {
  const { terminal, output } = plainTerminal();
  let now = 0;
  const progress = createPackProgress(terminal, { now: () => now });
  const update = (files: number) =>
    progress.update({ files, bytes: files * 1024 * 1024, totalFiles: 100, totalBytes: 100 * 1024 * 1024 });
  for (let files = 1; files <= 100; files++) {
    now = files * 120;
    update(files);
  }
  progress.finish();
  expect(output()).toBe(
    'kiln packing 42/100 files, 42 MiB of 100 MiB (42%)\nkiln packing 84/100 files, 84 MiB of 100 MiB (84%)\n',
  );
});
