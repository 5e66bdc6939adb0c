import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, type Build, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { type FollowEvent, followBuild } from '../../../../lib/follow/follow-build';
import { BUILD_ID, LOG_GROUP, LOG_STREAM, PHASES, snapshot } from '../../../helpers/build-snapshots';
import { FakeAwsError } from '../../../helpers/fakes/fake-aws-error';
import { FakeClock } from '../../../helpers/fakes/fake-clock';
import { FakeLogStore } from '../../../helpers/fakes/log-store';

const codebuildMock = mockClient(CodeBuildClient);
const logsMock = mockClient(CloudWatchLogsClient);
const codebuild = new CodeBuildClient({ region: 'us-east-1' });
const logs = new CloudWatchLogsClient({ region: 'us-east-1' });

let clock: FakeClock;
let store: FakeLogStore;

beforeEach(() => {
  codebuildMock.reset();
  logsMock.reset();
  clock = new FakeClock();
  store = new FakeLogStore();
  logsMock.on(GetLogEventsCommand).callsFake((input) => store.getLogEvents(input));
});

/** Each BatchGetBuilds answers the next snapshot; the last one repeats. */
function scriptBuilds(...snapshots: Build[]): void {
  let call = 0;
  codebuildMock.on(BatchGetBuildsCommand).callsFake(() => {
    const build = snapshots[Math.min(call++, snapshots.length - 1)]!;
    return { builds: [build] };
  });
}

async function follow(options: { signal?: AbortSignal } = {}) {
  const events: FollowEvent[] = [];
  const result = await followBuild({
    codebuild,
    logs,
    buildId: BUILD_ID,
    clock,
    onEvent: (event) => events.push(event),
    ...options,
  });
  const lines = events.flatMap((event) => (event.kind === 'log' ? [event.line.message] : []));
  const phases = events.flatMap((event) => (event.kind === 'phase-start' ? [event.phase] : []));
  return { result, events, lines, phases };
}

const append = (message: string) => store.append(LOG_GROUP, LOG_STREAM, message, clock.now());

test('reports each phase once, in order, as it starts', async () => {
  scriptBuilds(
    snapshot({ current: 'QUEUED' }),
    snapshot({ current: 'QUEUED' }),
    snapshot({ current: 'BUILD' }),
    snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }),
  );
  const { phases, result } = await follow();
  expect(phases).toEqual(PHASES);
  expect(result).toEqual({ build: expect.objectContaining({ buildStatus: 'SUCCEEDED' }), detached: false });
});

test('waits for a log stream that appears only after provisioning, then prints every line once', async () => {
  scriptBuilds(
    snapshot({ current: 'PROVISIONING' }),
    snapshot({ current: 'DOWNLOAD_SOURCE' }),
    snapshot({ current: 'BUILD' }),
    snapshot({ current: 'BUILD' }),
    snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }),
  );
  // The build already names its stream, but CloudWatch has not created it for a while.
  clock.onSleep = (time) => {
    if (time === 3000) append('line 1');
    if (time === 3500) append('line 2');
    if (time === 4000) {
      append('line 3');
      append('line 4');
    }
  };
  const { lines } = await follow();
  expect(lines).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
  expect(logsMock.commandCalls(GetLogEventsCommand).every((call) => call.args[0].input.startFromHead)).toBe(
    true,
  );
});

test('empty and partial pages do not end the read; a returned token equal to the one sent does', async () => {
  scriptBuilds(snapshot({ current: 'BUILD' }), snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }));
  logsMock
    .on(GetLogEventsCommand)
    .resolvesOnce({ events: [], nextForwardToken: 'f/a' })
    .resolvesOnce({ events: [{ message: 'one\n', timestamp: 1 }], nextForwardToken: 'f/b' })
    .resolvesOnce({ events: [], nextForwardToken: 'f/c' })
    .resolvesOnce({ events: [{ message: 'two\n', timestamp: 2 }], nextForwardToken: 'f/d' })
    .resolvesOnce({ events: [], nextForwardToken: 'f/d' })
    .resolves({ events: [], nextForwardToken: 'f/d' });
  const { lines } = await follow();
  expect(lines).toEqual(['one', 'two']);
  const tokens = logsMock.commandCalls(GetLogEventsCommand).map((call) => call.args[0].input.nextToken);
  expect(tokens.slice(0, 5)).toEqual([undefined, 'f/a', 'f/b', 'f/c', 'f/d']);
});

test('a large backlog is read page by page without loss or duplicates', async () => {
  store.pageSize = 7;
  for (let index = 0; index < 100; index++) append(`line ${index}`);
  scriptBuilds(snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }));
  const { lines } = await follow();
  expect(lines).toEqual(Array.from({ length: 100 }, (_, index) => `line ${index}`));
});

test('a backlog beyond one read’s page limit is read on without waiting', async () => {
  store.pageSize = 1;
  for (let index = 0; index < 120; index++) append(`line ${index}`);
  scriptBuilds(snapshot({ current: 'BUILD' }), snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }));
  let callsBeforeFirstPause: number | undefined;
  clock.onSleep = () => {
    callsBeforeFirstPause ??= logsMock.commandCalls(GetLogEventsCommand).length;
  };
  const { lines } = await follow();
  expect(lines).toHaveLength(120);
  // Reads of 50 + 50 + 20 pages and the caught-up call, all before the first pause.
  expect(callsBeforeFirstPause).toBe(121);
});

test('keeps reading after the build ends until two reads in a row come back empty', async () => {
  scriptBuilds(snapshot({ current: 'BUILD' }), snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }));
  append('building');
  clock.onSleep = (time) => {
    // CloudWatch delivers the last lines after CodeBuild already reports the build complete.
    if (time === 2000) append('pushed image');
  };
  const { lines } = await follow();
  expect(lines).toEqual(['building', 'pushed image']);
  const afterEnd = clock.sleeps.slice(-2);
  expect(afterEnd).toEqual([1000, 1000]);
});

test('polls status about once a second and logs twice as often while the build runs', async () => {
  scriptBuilds(
    snapshot({ current: 'BUILD' }),
    snapshot({ current: 'BUILD' }),
    snapshot({ current: 'BUILD' }),
    snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }),
  );
  await follow();
  expect(codebuildMock.commandCalls(BatchGetBuildsCommand)).toHaveLength(4);
  expect(clock.sleeps.slice(0, 6)).toEqual([500, 500, 500, 500, 500, 500]);
});

test('a build that ends before it ever had a log stream finishes without reading logs', async () => {
  const withoutLogs = snapshot({
    current: 'COMPLETED',
    status: 'FAULT',
    failure: { phase: 'QUEUED', status: 'FAULT', message: 'no capacity' },
  });
  delete withoutLogs.logs;
  scriptBuilds(snapshot({ current: 'QUEUED' }), withoutLogs);
  const { result } = await follow();
  expect(result.build.buildStatus).toBe('FAULT');
  expect(logsMock.commandCalls(GetLogEventsCommand)).toHaveLength(0);
});

test('throttled calls are retried with jittered exponential backoff', async () => {
  const throttled = new FakeAwsError('ThrottlingException', 'Rate exceeded');
  codebuildMock
    .on(BatchGetBuildsCommand)
    .rejectsOnce(throttled)
    .rejectsOnce(throttled)
    .rejectsOnce(throttled)
    .resolves({ builds: [snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' })] });
  logsMock
    .on(GetLogEventsCommand)
    .rejectsOnce(new FakeAwsError('ThrottlingException', 'Rate exceeded'))
    .callsFake((input) => store.getLogEvents(input));
  append('hello');
  const { lines } = await follow();
  expect(lines).toEqual(['hello']);
  // random() = 0.5 → half of 500, 1000, 2000 ms for the status calls, then half of 500 for the log call.
  expect(clock.sleeps.slice(0, 4)).toEqual([250, 500, 1000, 250]);
});

test('gives up after repeated throttling with the throttling error', async () => {
  codebuildMock.on(BatchGetBuildsCommand).rejects(new FakeAwsError('ThrottlingException', 'Rate exceeded'));
  await expect(follow()).rejects.toMatchObject({ name: 'ThrottlingException' });
});

test('an unknown build id is a clear error', async () => {
  codebuildMock.on(BatchGetBuildsCommand).resolves({ builds: [], buildsNotFound: [BUILD_ID] });
  await expect(follow()).rejects.toThrow(`build ${BUILD_ID} not found`);
});

test('aborting the signal detaches promptly while the build keeps running', async () => {
  scriptBuilds(snapshot({ current: 'BUILD' }));
  const detach = new AbortController();
  clock.onSleep = (time) => {
    if (time >= 3000) detach.abort();
  };
  const { result } = await follow({ signal: detach.signal });
  expect(result).toEqual({ build: expect.objectContaining({ buildStatus: 'IN_PROGRESS' }), detached: true });
});

test('phase ends carry their status, duration and CodeBuild context message', async () => {
  scriptBuilds(
    snapshot({
      current: 'COMPLETED',
      status: 'FAILED',
      failure: {
        phase: 'BUILD',
        status: 'FAILED',
        message: 'Error while executing command: kiln-runner. Reason: exit status 1',
      },
    }),
  );
  const { events } = await follow();
  expect(events).toContainEqual({
    kind: 'phase-end',
    phase: 'BUILD',
    status: 'FAILED',
    seconds: 10,
    message: 'Error while executing command: kiln-runner. Reason: exit status 1',
  });
});
