import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LogTail } from '../../../../lib/follow/log-tail';
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
