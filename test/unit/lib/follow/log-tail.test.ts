import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { LogTail } from '../../../../lib/follow/log-tail';
import { FakeClock } from '../../../helpers/fakes/fake-clock';
import { FakeLogStore } from '../../../helpers/fakes/log-store';

const logsMock = mockClient(CloudWatchLogsClient);

test('one read stops at its page limit and says more is waiting; the next continues exactly there', async () => {
  const store = new FakeLogStore();
  store.pageSize = 1;
  for (let index = 0; index < 60; index++) store.append('g', 's', `line ${index}\n`);
  logsMock.on(GetLogEventsCommand).callsFake((input) => store.getLogEvents(input));
  const tail = new LogTail(new CloudWatchLogsClient({ region: 'us-east-1' }), 'g', 's', new FakeClock());
  const first = await tail.read();
  expect(first).toMatchObject({ found: true, caughtUp: false });
  expect(first.lines).toHaveLength(50);
  const second = await tail.read();
  expect(second).toMatchObject({ found: true, caughtUp: true });
  expect([...first.lines, ...second.lines].map((line) => line.message)).toEqual(
    Array.from({ length: 60 }, (_, index) => `line ${index}`),
  );
});
