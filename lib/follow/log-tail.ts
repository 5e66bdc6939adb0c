// Reads one CloudWatch Logs stream forward, exactly once per event: startFromHead plus the
// nextForwardToken of the previous page. CloudWatch can return empty or short pages before more
// data, so only the same token coming back means "caught up for now".
import type { CloudWatchLogsClient, GetLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { errorName } from '../aws/error-name';
import { cloudWatchLogsSdk } from '../aws/sdk';
import { type BackoffOptions, withBackoff } from './backoff';
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

/**
 * Pages read per `read()` at most (each up to 10,000 events / 1 MB): a huge backlog is read in
 * paced steps (the follower waits BACKLOG_EVERY_MS between them), never in a burst of calls against
 * the account's GetLogEvents quota.
 */
const MAX_PAGES_PER_READ = 5;

/**
 * Between two reads of a backlog: 5 pages per 0.25 s is at most 20 GetLogEvents calls a second,
 * under the account's quota of 25 (shared with every other follower, which is why throttling is
 * still retried).
 */
export const BACKLOG_EVERY_MS = 250;

export class LogTail {
  private token: string | undefined;

  constructor(
    private readonly logs: Pick<CloudWatchLogsClient, 'send'>,
    readonly group: string,
    readonly stream: string,
    private readonly clock: Clock,
    /** How failed calls are retried: by default throttling, a few times; never given up while following. */
    private readonly retry: Omit<BackoffOptions, 'clock'> = {},
  ) {}

  /** Everything new since the last read, until CloudWatch hands back the same token. */
  async read(): Promise<LogRead> {
    const lines: LogLine[] = [];
    for (let page = 0; page < MAX_PAGES_PER_READ; page++) {
      const sent = this.token;
      let response: GetLogEventsCommandOutput;
      try {
        response = await withBackoff(
          () =>
            this.logs.send(
              new (cloudWatchLogsSdk().GetLogEventsCommand)({
                logGroupName: this.group,
                logStreamName: this.stream,
                startFromHead: true,
                ...(sent ? { nextToken: sent } : {}),
              }),
            ),
          { ...this.retry, clock: this.clock },
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

/**
 * The whole stream as it is now (plain `kiln logs`), read at the backlog pace. False when the stream
 * does not exist yet.
 */
export async function readWholeLog(
  tail: LogTail,
  onLines: (lines: LogLine[]) => void,
  clock: Clock,
): Promise<boolean> {
  let read = await tail.read();
  if (!read.found) return false;
  onLines(read.lines);
  while (!read.caughtUp) {
    await clock.sleep(BACKLOG_EVERY_MS);
    read = await tail.read();
    onLines(read.lines);
  }
  return true;
}
