// Reads one CloudWatch Logs stream forward, exactly once per event: startFromHead plus the
// nextForwardToken of the previous page. CloudWatch can return empty or short pages before more
// data, so only the same token coming back means "caught up for now".
import {
  type CloudWatchLogsClient,
  GetLogEventsCommand,
  type GetLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { errorName } from '../aws/error-name';
import { withThrottleBackoff } from './backoff';
import type { Clock } from './clock';

export interface LogLine {
  timestamp: number;
  message: string;
}

export interface LogRead {
  lines: LogLine[];
  /** False while the stream does not exist yet (it appears after provisioning). */
  found: boolean;
  /** False when the page limit cut the read short: more is already waiting. */
  caughtUp: boolean;
}

/** Pages read per `read()` at most, so a huge backlog does not starve phase updates. */
const MAX_PAGES_PER_READ = 50;

export class LogTail {
  private token: string | undefined;

  constructor(
    private readonly logs: Pick<CloudWatchLogsClient, 'send'>,
    readonly group: string,
    readonly stream: string,
    private readonly clock: Clock,
  ) {}

  /** Everything new since the last read, until CloudWatch hands back the same token. */
  async read(): Promise<LogRead> {
    const lines: LogLine[] = [];
    for (let page = 0; page < MAX_PAGES_PER_READ; page++) {
      const sent = this.token;
      let response: GetLogEventsCommandOutput;
      try {
        response = await withThrottleBackoff(
          () =>
            this.logs.send(
              new GetLogEventsCommand({
                logGroupName: this.group,
                logStreamName: this.stream,
                startFromHead: true,
                ...(sent ? { nextToken: sent } : {}),
              }),
            ),
          { clock: this.clock },
        );
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') return { lines, found: false, caughtUp: true };
        throw error;
      }
      for (const event of response.events ?? []) {
        lines.push({ timestamp: event.timestamp ?? 0, message: (event.message ?? '').replace(/\r?\n$/, '') });
      }
      const next = response.nextForwardToken;
      if (!next || next === sent) return { lines, found: true, caughtUp: true };
      this.token = next;
    }
    return { lines, found: true, caughtUp: false };
  }
}
