import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, type Build, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { type FollowEvent, followBuild } from '../../../../lib/follow/follow-build';
import {
  BUILD_ID,
  LOG_GROUP,
  LOG_STREAM,
  PHASES,
  type SnapshotOptions,
  snapshot,
} from '../../../helpers/build-snapshots';
import { FakeAwsError } from '../../../helpers/fakes/fake-aws-error';
import { FakeClock } from '../../../helpers/fakes/fake-clock';
import { FakeLogStore } from '../../../helpers/fakes/log-store';
import { mockAwsClient } from '../../../helpers/iam/mocked-clients';

const codebuildMock = mockAwsClient(CodeBuildClient, 'cli');
const logsMock = mockAwsClient(CloudWatchLogsClient, 'cli');
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
  const schedule: [number, string[]][] = [
    [3000, ['line 1']],
    [3500, ['line 2']],
    [4000, ['line 3', 'line 4']],
  ];
  clock.onSleep = (time) => {
    while (schedule[0] && schedule[0][0] <= time) for (const line of schedule.shift()![1]) append(line);
  };
  const { lines } = await follow();
  expect(lines).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
  expect(logsMock.commandCalls(GetLogEventsCommand).every((call) => call.args[0].input.startFromHead)).toBe(
    true,
  );
});

/** BatchGetBuilds answers from fake time: `phaseAt(now)` is the phase running then. */
function buildsOverTime(phaseAt: (now: number) => SnapshotOptions['current']): void {
  codebuildMock.on(BatchGetBuildsCommand).callsFake(() => {
    const current = phaseAt(clock.now());
    return { builds: [snapshot({ current, ...(current === 'COMPLETED' ? { status: 'SUCCEEDED' } : {}) })] };
  });
}

/** Appends a first line at fake time `at`; resolves how long after that followBuild passed it on. */
async function firstLineLatency(at: number): Promise<number> {
  let appended = false;
  clock.onSleep = (time) => {
    if (time >= at && !appended) {
      appended = true;
      append('first line');
    }
  };
  let shownAt: number | undefined;
  await followBuild({
    codebuild,
    logs,
    buildId: BUILD_ID,
    clock,
    onEvent: (event) => {
      if (event.kind === 'log' && event.line.message === 'first line') shownAt ??= clock.now();
    },
  });
  return shownAt! - at;
}

test('the first line is shown within about 2 s of its ingestion when the build names its stream late', async () => {
  // Named once PROVISIONING ends (7.3 s in); the first line is ingested right then.
  buildsOverTime((now) =>
    now < 2000 ? 'QUEUED' : now < 7300 ? 'PROVISIONING' : now < 30_000 ? 'BUILD' : 'COMPLETED',
  );
  expect(await firstLineLatency(7300)).toBeLessThanOrEqual(2000);
  // While no stream is named, the status is read every second.
  expect(codebuildMock.commandCalls(BatchGetBuildsCommand).length).toBeGreaterThanOrEqual(8);
});

test('a build queued for capacity is polled at the normal pace until it leaves the queue, then every second', async () => {
  buildsOverTime((now) =>
    now < 120_000 ? 'QUEUED' : now < 123_500 ? 'PROVISIONING' : now < 150_000 ? 'BUILD' : 'COMPLETED',
  );
  const latency = await firstLineLatency(123_500);
  expect(latency).toBeLessThanOrEqual(2000);
  const calls = codebuildMock.commandCalls(BatchGetBuildsCommand).length;
  // 30 s at 1 s, 90 s at 5 s, ~4 s at 1 s, then 5 s while the log is read: far from one a second.
  expect(calls).toBeLessThan(30 + 90 / 5 + 5 + 30 / 5 + 3);
  expect(calls).toBeGreaterThan(30);
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

test('a backlog beyond one read’s page limit is read in paced steps of a few pages', async () => {
  store.pageSize = 1;
  for (let index = 0; index < 12; index++) append(`line ${index}`);
  scriptBuilds(snapshot({ current: 'BUILD' }), snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }));
  const callsAtPause: number[] = [];
  clock.onSleep = () => {
    callsAtPause.push(logsMock.commandCalls(GetLogEventsCommand).length);
  };
  const { lines } = await follow();
  expect(lines).toHaveLength(12);
  // Reads of 5 + 5 + 2 pages (and the caught-up call), a short pause between them.
  expect(callsAtPause.slice(0, 3)).toEqual([5, 10, 13]);
  expect(clock.sleeps.slice(0, 3)).toEqual([250, 250, 1000]);
});

test('keeps reading for 12 s without a new line after the build ends: lines ingested 8 s late are printed', async () => {
  scriptBuilds(snapshot({ current: 'BUILD' }), snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }));
  append('building');
  let endSeenAt: number | undefined;
  clock.onSleep = (time) => {
    endSeenAt ??= codebuildMock.commandCalls(BatchGetBuildsCommand).length === 2 ? time : undefined;
    // CloudWatch delivers the last lines well after CodeBuild reports the build complete.
    if (endSeenAt !== undefined && time === endSeenAt + 8000) append('the failure reason');
  };
  const { lines } = await follow();
  expect(lines).toEqual(['building', 'the failure reason']);
  expect(clock.now() - endSeenAt!).toBeGreaterThanOrEqual(8000 + 12_000);
});

test('CodeBuild’s closing log line ends the drain at the next empty read', async () => {
  scriptBuilds(snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }));
  append('[Container] 2026/11/30 19:00:00.000000 Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED');
  await follow();
  expect(clock.now()).toBeLessThanOrEqual(1000);
});

test('polls status every 5 s and logs every second while the build runs', async () => {
  scriptBuilds(
    snapshot({ current: 'BUILD' }),
    snapshot({ current: 'BUILD' }),
    snapshot({ current: 'BUILD' }),
    snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }),
  );
  await follow();
  expect(codebuildMock.commandCalls(BatchGetBuildsCommand)).toHaveLength(4);
  expect(clock.sleeps.slice(0, 6)).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
  // Three status reads while running, 5 s apart: fewer than one GetLogEvents call per second overall.
  const logCalls = logsMock.commandCalls(GetLogEventsCommand).length;
  expect(logCalls).toBeLessThanOrEqual(clock.now() / 1000 + 1);
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

/** A line every half second of the first 25 s, whatever the reader is going through. */
function appendEveryHalfSecond(): () => string[] {
  let next = 0;
  clock.onSleep = (time) => {
    for (; next * 500 <= Math.min(time, 25_000); next++) append(`line ${next}`);
  };
  return () => Array.from({ length: next }, (_, index) => `line ${index}`);
}

/** GetLogEvents fails with `failure` until `untilMs` (fake time), then answers from the store. */
function failLogReadsUntil(untilMs: number, failure: () => Error): { failed: () => number } {
  let failed = 0;
  logsMock.on(GetLogEventsCommand).callsFake((input) => {
    if (clock.now() < untilMs) {
      failed++;
      throw failure();
    }
    return store.getLogEvents(input);
  });
  return { failed: () => failed };
}

test('a GetLogEvents throttled for 20 s while the build runs loses no line and does not give up', async () => {
  scriptBuilds(
    ...Array.from({ length: 6 }, () => snapshot({ current: 'BUILD' })),
    snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }),
  );
  // Low jitter: short waits, so 20 s of throttling is far more tries than any fixed limit would allow.
  clock.randomValue = 0.01;
  const reads = failLogReadsUntil(20_000, () => new FakeAwsError('ThrottlingException', 'Rate exceeded'));
  const expected = appendEveryHalfSecond();
  const { lines, result, events } = await follow();
  expect(result.build.buildStatus).toBe('SUCCEEDED');
  expect(lines).toEqual(expected());
  expect(reads.failed()).toBeGreaterThan(60);
  // Under 30 s of trouble: no notice.
  expect(events.filter((event) => event.kind === 'notice')).toEqual([]);
});

/** A failure on the way, as the SDK passes it on after its own three tries. */
const serverError = () =>
  Object.assign(new FakeAwsError('InternalFailure', 'We encountered an internal error.', 500), {
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
  });
const socketHangUp = () =>
  Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: { attempts: 3 } });

test.each([
  ['500 answers', serverError, 'InternalFailure'],
  ['dropped connections', socketHangUp, 'ECONNRESET'],
])(
  'CloudWatch Logs failing with %s for 60 s while the build runs: no line lost, one notice, no giving up',
  async (_, failure, reason) => {
    scriptBuilds(
      ...Array.from({ length: 14 }, () => snapshot({ current: 'BUILD' })),
      snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }),
    );
    const reads = failLogReadsUntil(60_000, failure);
    const expected = appendEveryHalfSecond();
    const { lines, result, events } = await follow();
    expect(result).toEqual({ build: expect.objectContaining({ buildStatus: 'SUCCEEDED' }), detached: false });
    expect(lines).toEqual(expected());
    expect(reads.failed()).toBeGreaterThan(8);
    const notices = events.flatMap((event) => (event.kind === 'notice' ? [event.message] : []));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      new RegExp(`^CloudWatch Logs unreachable for (3\\d|4\\d) s \\(${reason}\\), still trying…$`),
    );
  },
);

test('CloudWatch Logs still unreachable 2 minutes after the build ended: the outcome is returned with a notice, not a hang', async () => {
  scriptBuilds(snapshot({ current: 'BUILD' }), snapshot({ current: 'COMPLETED', status: 'FAILED' }));
  logsMock.on(GetLogEventsCommand).callsFake(() => {
    throw serverError();
  });
  const { result, events } = await follow();
  expect(result).toEqual({ build: expect.objectContaining({ buildStatus: 'FAILED' }), detached: false });
  const notices = events.flatMap((event) => (event.kind === 'notice' ? [event.message] : []));
  expect(notices).toEqual([
    expect.stringMatching(/^CloudWatch Logs unreachable for \d+ s \(InternalFailure\), still trying…$/),
    `the build's last log lines could not be read (InternalFailure); \`kiln logs ${BUILD_ID}\` shows them once CloudWatch Logs answers`,
  ]);
  // Two minutes after the end (plus at most one backoff wait), not sooner: the drain tried for good.
  expect(clock.now()).toBeGreaterThanOrEqual(120_000);
  expect(clock.now()).toBeLessThan(180_000);
});

test('CodeBuild unreachable for 60 s while the build runs: following goes on and says so once', async () => {
  let calls = 0;
  codebuildMock.on(BatchGetBuildsCommand).callsFake(() => {
    calls++;
    if (calls > 1 && clock.now() < 60_000) throw socketHangUp();
    return {
      builds: [
        snapshot({
          current: clock.now() < 65_000 ? 'BUILD' : 'COMPLETED',
          status: clock.now() < 65_000 ? undefined : 'SUCCEEDED',
        }),
      ],
    };
  });
  const { result, events } = await follow();
  expect(result.build.buildStatus).toBe('SUCCEEDED');
  const notices = events.flatMap((event) => (event.kind === 'notice' ? [event.message] : []));
  expect(notices).toEqual([
    expect.stringMatching(/^CodeBuild unreachable for \d+ s \(ECONNRESET\), still trying…$/),
  ]);
});

test.each([
  [
    'AccessDeniedException',
    'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: logs:GetLogEvents',
  ],
  ['InvalidParameterException', '1 validation error detected'],
])('a %s while following is passed on at once, not retried', async (code, message) => {
  scriptBuilds(snapshot({ current: 'BUILD' }));
  logsMock.on(GetLogEventsCommand).rejects(new FakeAwsError(code, message));
  await expect(follow()).rejects.toThrow(message);
  expect(logsMock.commandCalls(GetLogEventsCommand)).toHaveLength(1);
});

test('aborting while a failing call waits out its backoff detaches at once, without another try', async () => {
  scriptBuilds(snapshot({ current: 'BUILD' }));
  failLogReadsUntil(Number.POSITIVE_INFINITY, serverError);
  const detach = new AbortController();
  let callsAtAbort = 0;
  clock.onSleep = (time) => {
    if (time >= 10_000 && !detach.signal.aborted) {
      detach.abort();
      callsAtAbort = logsMock.commandCalls(GetLogEventsCommand).length;
    }
  };
  const { result } = await follow({ signal: detach.signal });
  expect(result).toEqual({ build: expect.objectContaining({ buildStatus: 'IN_PROGRESS' }), detached: true });
  expect(logsMock.commandCalls(GetLogEventsCommand)).toHaveLength(callsAtAbort);
});

test('aborting while a call hangs (real clock) detaches at once', async () => {
  scriptBuilds(snapshot({ current: 'BUILD' }));
  logsMock.on(GetLogEventsCommand).callsFake(() => new Promise(() => {}));
  const detach = new AbortController();
  setTimeout(() => detach.abort(), 50);
  const started = Date.now();
  const result = await followBuild({
    codebuild,
    logs,
    buildId: BUILD_ID,
    signal: detach.signal,
    onEvent: () => {},
  });
  expect(result.detached).toBe(true);
  expect(Date.now() - started).toBeLessThan(1000);
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

/** The agent's markers as CodeBuild writes them, at log time `at`. */
const agent = (text: string, at: number) =>
  store.append(LOG_GROUP, LOG_STREAM, `[Container] 2026/11/30 19:00:00.000000 ${text}`, at);

test('each phase is reported once, after its own log lines, even when the status poll is ahead of the log', async () => {
  // Status already says BUILD ended; the log is read a second at a time behind it.
  scriptBuilds(snapshot({ current: 'POST_BUILD' }), snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }));
  const base = 1_700_000_000_000 + 3 * 10_000;
  agent('Phase is DOWNLOAD_SOURCE', base);
  agent('Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED', base + 400);
  agent('Phase context status code:  Message: ', base + 400);
  agent('Entering phase INSTALL', base + 500);
  store.append(LOG_GROUP, LOG_STREAM, 'installing', base + 600);
  agent('Phase complete: INSTALL State: SUCCEEDED', base + 2500);
  agent('Entering phase PRE_BUILD', base + 2500);
  agent('Phase complete: PRE_BUILD State: SUCCEEDED', base + 2500);
  agent('Entering phase BUILD', base + 2600);
  store.append(LOG_GROUP, LOG_STREAM, '[kiln] ▸ build image …', base + 2700);
  agent('Phase complete: BUILD State: SUCCEEDED', base + 9600);
  const { events } = await follow();
  const shown = events.flatMap((event) =>
    event.kind === 'phase-end'
      ? [`${event.phase} ${event.seconds}`]
      : event.kind === 'log'
        ? [event.line.message]
        : [],
  );
  expect(shown).toEqual([
    'SUBMITTED 10',
    'QUEUED 10',
    'PROVISIONING 10',
    // From the status snapshot's times (it knew DOWNLOAD_SOURCE's start and end first).
    'DOWNLOAD_SOURCE 10',
    'installing',
    'INSTALL 10',
    'PRE_BUILD 10',
    '[kiln] ▸ build image …',
    'BUILD 10',
    'POST_BUILD 10',
    'UPLOAD_ARTIFACTS 10',
    'FINALIZING 10',
  ]);
  // The agent's bookkeeping is read, never passed on as build output.
  expect(shown.join('\n')).not.toMatch(/Entering phase|Phase complete|Phase context|Phase is/);
});

test('a phase the log shows before the status poll knew of it takes its duration from the log', async () => {
  scriptBuilds(
    snapshot({ current: 'DOWNLOAD_SOURCE' }),
    snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }),
  );
  const base = 1_700_000_000_000 + 3 * 10_000;
  agent('Phase complete: DOWNLOAD_SOURCE State: SUCCEEDED', base + 1000);
  agent('Entering phase INSTALL', base + 1000);
  agent('Phase complete: INSTALL Success: true', base + 3500);
  const events: FollowEvent[] = [];
  let calls = 0;
  codebuildMock.on(BatchGetBuildsCommand).callsFake(() => {
    // The second read (before the log's markers are shown) still lags: only the first phases.
    calls++;
    return {
      builds: [
        calls < 3
          ? snapshot({ current: 'DOWNLOAD_SOURCE' })
          : snapshot({ current: 'COMPLETED', status: 'SUCCEEDED' }),
      ],
    };
  });
  await followBuild({ codebuild, logs, buildId: BUILD_ID, clock, onEvent: (event) => events.push(event) });
  const ends = events.flatMap((event) => (event.kind === 'phase-end' ? [[event.phase, event.seconds]] : []));
  expect(ends.slice(0, 5)).toEqual([
    ['SUBMITTED', 10],
    ['QUEUED', 10],
    ['PROVISIONING', 10],
    ['DOWNLOAD_SOURCE', 1],
    ['INSTALL', 2.5],
  ]);
  expect(new Set(ends.map(([phase]) => phase)).size).toBe(ends.length);
});
