import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LogTail, readWholeLog } from '../../../../lib/follow/log-tail';
import { FakeClock } from '../../../helpers/fakes/fake-clock';
import { FakeLogStore } from '../../../helpers/fakes/log-store';
import { mockAwsClient } from '../../../helpers/iam/mocked-clients';

const logsMock = mockAwsClient(CloudWatchLogsClient, 'cli');

test('one read stops at its page limit and says more is waiting; the next continues exactly there', async () => {
  const store = new FakeLogStore();
  store.pageSize = 1;
  for (let index = 0; index < 8; index++) store.append('/kiln/builds', 's', `line ${index}\n`);
  logsMock.on(GetLogEventsCommand).callsFake((input) => store.getLogEvents(input));
  const tail = new LogTail(
    new CloudWatchLogsClient({ region: 'us-east-1' }),
    '/kiln/builds',
    's',
    new FakeClock(),
  );
  const first = await tail.read();
  expect(first).toMatchObject({ found: true, caughtUp: false });
  expect(first.lines).toHaveLength(5);
  const second = await tail.read();
  expect(second).toMatchObject({ found: true, caughtUp: true });
  expect([...first.lines, ...second.lines].map((line) => line.message)).toEqual(
    Array.from({ length: 8 }, (_, index) => `line ${index}`),
  );
});

test('plain `kiln logs` reads a long backlog in paced steps: at most 5 pages per 0.25 s (20 calls/s, under the quota of 25)', async () => {
  const store = new FakeLogStore();
  store.pageSize = 1;
  for (let index = 0; index < 12; index++) store.append('/kiln/builds', 's', `line ${index}\n`);
  logsMock.on(GetLogEventsCommand).callsFake((input) => store.getLogEvents(input));
  const clock = new FakeClock();
  const callsAt: number[] = [];
  logsMock.on(GetLogEventsCommand).callsFake((input) => {
    callsAt.push(clock.now());
    return store.getLogEvents(input);
  });
  const tail = new LogTail(new CloudWatchLogsClient({ region: 'us-east-1' }), '/kiln/builds', 's', clock);
  const printed: string[] = [];
  expect(await readWholeLog(tail, (lines) => printed.push(...lines.map((line) => line.message)), clock)).toBe(
    true,
  );
  expect(printed).toEqual(Array.from({ length: 12 }, (_, index) => `line ${index}`));
  expect(clock.sleeps).toEqual([250, 250]);
  // No 0.25 s window holds more than 5 calls (13 calls: 12 lines and the caught-up read).
  expect(callsAt).toHaveLength(13);
  for (const at of callsAt)
    expect(callsAt.filter((other) => other >= at && other < at + 250).length).toBeLessThanOrEqual(5);
});

test('readWholeLog on a stream that does not exist yet says so', async () => {
  logsMock
    .on(GetLogEventsCommand)
    .rejects(Object.assign(new Error('no stream'), { name: 'ResourceNotFoundException' }));
  const clock = new FakeClock();
  const tail = new LogTail(new CloudWatchLogsClient({ region: 'us-east-1' }), '/kiln/builds', 'x', clock);
  expect(await readWholeLog(tail, () => {}, clock)).toBe(false);
});
