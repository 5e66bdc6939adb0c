// In-memory CloudWatch Logs with GetLogEvents' forward-token semantics: tokens are positions, a page
// at the end hands back the token it was given, a missing stream is ResourceNotFoundException.
// Used directly by unit tests (through aws-sdk-client-mock) and over HTTP by the loopback fake;
// benchmarks append lines at known times and measure when the CLI prints them.
import type { GetLogEventsCommandInput, GetLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { recordAwsCall } from '../iam/recorded-calls';
import { FakeAwsError } from './fake-aws-error';

interface StoredEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
}

export class FakeLogStore {
  private readonly streams = new Map<string, StoredEvent[]>();
  /** Largest page GetLogEvents returns (CloudWatch's own limit is 10,000 events / 1 MB). */
  pageSize = 10_000;
  readonly requests: GetLogEventsCommandInput[] = [];

  createStream(group: string, stream: string): void {
    if (!this.streams.has(key(group, stream))) this.streams.set(key(group, stream), []);
  }

  append(group: string, stream: string, message: string, timestamp = Date.now()): void {
    this.createStream(group, stream);
    this.streams.get(key(group, stream))!.push({ timestamp, message, ingestionTime: Date.now() });
  }

  getLogEvents(input: GetLogEventsCommandInput): Omit<GetLogEventsCommandOutput, '$metadata'> {
    this.requests.push(input);
    recordAwsCall('cli', 'logs', 'GetLogEvents', input);
    const events = this.streams.get(key(input.logGroupName ?? '', input.logStreamName ?? ''));
    if (!events)
      throw new FakeAwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
    const start = input.nextToken ? Number(input.nextToken.slice(2)) : 0;
    const page = events.slice(start, start + Math.min(input.limit ?? this.pageSize, this.pageSize));
    return {
      events: page.map((event) => ({ ...event })),
      nextForwardToken: `f/${start + page.length}`,
      nextBackwardToken: `b/${start}`,
    };
  }
}

function key(group: string, stream: string): string {
  return `${group}\u0000${stream}`;
}
