import pc from 'picocolors';
import { EXIT_CODES } from '../../../../contract/errors';
import { exitCodeForStatus, remoteTimings, summarizeBuild } from '../../../../lib/follow/outcome';
import { summaryLine } from '../../../../lib/output/build-reporter';
import { PHASES, snapshot } from '../../../helpers/build-snapshots';

const colors = pc.createColors(false);

test.each([
  ['SUCCEEDED', EXIT_CODES.success, 0],
  ['FAILED', EXIT_CODES.buildFailed, 10],
  ['FAULT', EXIT_CODES.buildFault, 11],
  ['TIMED_OUT', EXIT_CODES.buildTimedOut, 12],
  ['STOPPED', EXIT_CODES.buildStopped, 13],
  ['IN_PROGRESS', EXIT_CODES.detached, 14],
])('%s exits %i', (status, code, documented) => {
  expect(exitCodeForStatus(status)).toBe(code);
  expect(code).toBe(documented);
});

test('a successful build: image URI, digest and tags from its exported variables, on the final line', () => {
  const build = snapshot({
    current: 'COMPLETED',
    status: 'SUCCEEDED',
    exported: {
      KILN_IMAGE_URI: '123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln:app-1',
      KILN_IMAGE_DIGEST: 'sha256:abc',
      KILN_IMAGE_TAGS: 'app-1,latest',
      SOMETHING_ELSE: 'ignored',
    },
  });
  const outcome = summarizeBuild(build);
  expect(outcome).toEqual({
    buildId: build.id,
    status: 'SUCCEEDED',
    exitCode: 0,
    durationSeconds: 100,
    imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln:app-1',
    digest: 'sha256:abc',
    tags: ['app-1', 'latest'],
  });
  expect(summaryLine(outcome, colors)).toBe(
    '✔ SUCCEEDED in 1m 40s 123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln:app-1 sha256:abc',
  );
});

const failingPhases = PHASES.filter((phase) => phase !== 'COMPLETED');

test.each(failingPhases)('a build failing in %s names that phase and CodeBuild’s message', (phase) => {
  const message = `${phase} went wrong: exit status 2`;
  const build = snapshot({
    current: 'COMPLETED',
    status: 'FAILED',
    failure: { phase, status: 'FAILED', message },
  });
  const outcome = summarizeBuild(build);
  expect(outcome.failedPhase).toEqual({ phase, status: 'FAILED', message });
  expect(outcome.exitCode).toBe(10);
  expect(summaryLine(outcome, colors)).toMatch(
    new RegExp(`^✖ FAILED in .*: ${phase} FAILED \\(${message}\\)$`),
  );
});

test('a running build reports how long it has been running', () => {
  const build = snapshot({ current: 'BUILD' });
  const outcome = summarizeBuild(build, build.startTime!.getTime() + 75_000);
  expect(summaryLine(outcome, colors)).toBe('… IN_PROGRESS for 1m 15s');
});

test('queued time runs to PROVISIONING, build time from there to the end', () => {
  const build = snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' });
  expect(remoteTimings(build)).toEqual({ queued: 20, build: 80 });
  expect(remoteTimings(snapshot({ current: 'QUEUED' }), 1_700_000_005_000)).toEqual({ queued: 5 });
});
