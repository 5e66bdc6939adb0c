// Follows one CodeBuild build: each phase once, with its duration, in order with the build's log
// lines (none duplicated or lost; the agent's own phase bookkeeping is read, not passed on), until the
// build has ended and its log stream is drained. A small loop over injected clients and clock, so
// every timing case is testable without waiting.

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, type Build, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { KilnError } from '../../contract/errors';
import { errorName, isThrottling } from '../aws/error-name';
import { messageOf } from '../aws/errors';
import { agentMarker, isAgentBookkeeping } from './agent-log';
import { type BackoffOptions, isTemporaryFailure, withBackoff } from './backoff';
import { type Clock, realClock } from './clock';
import { BACKLOG_EVERY_MS, type LogLine, LogTail } from './log-tail';
import { isComplete } from './outcome';
import { type PhaseEvent, PhaseTimeline } from './phases';

export type FollowEvent =
  | PhaseEvent
  | { kind: 'log'; line: LogLine }
  | { kind: 'status'; build: Build }
  /** Something the user should know about the following itself (AWS unreachable for a while). */
  | { kind: 'notice'; message: string };

export interface FollowOptions {
  codebuild: Pick<CodeBuildClient, 'send'>;
  logs: Pick<CloudWatchLogsClient, 'send'>;
  buildId: string;
  onEvent: (event: FollowEvent) => void;
  /** Aborting detaches: the loop returns promptly with `detached: true`; the build keeps running. */
  signal?: AbortSignal;
  clock?: Clock;
  /** Build status poll interval (phases, completion). */
  statusEveryMs?: number;
  /** Build status poll interval until the build names its log stream. */
  streamWaitEveryMs?: number;
  /** Log poll interval: lines show up within about this long of their ingestion. */
  logEveryMs?: number;
  /** After the build ends, reads go on until this long has passed without a new line. */
  drainMs?: number;
}

/**
 * AWS-paced defaults. GetLogEvents is throttled per account and region (25 calls per second, shared
 * by every follower and the console): one call a second per follower keeps lines within about a
 * second of ingestion. BatchGetBuilds only moves phases, so every 5 s, except while the build has
 * not named its log stream yet: CodeBuild names it only once PROVISIONING is done, and the first
 * lines follow at once, so the status is read every second until then (CodeBuild publishes no
 * request rate for BatchGetBuilds; this is a few dozen calls per build, and throttling is retried).
 * A build QUEUED for LONG_QUEUE_MS waits for capacity, usually minutes: polled every 5 s until it
 * leaves the queue. CloudWatch ingests the last lines seconds after CodeBuild reports the build
 * complete, so reading goes on for 12 s without a new line (AWS's own CodeBuild GitHub action also
 * keeps reading after the end).
 */
const STATUS_EVERY_MS = 5000;
const STREAM_WAIT_EVERY_MS = 1000;
const LONG_QUEUE_MS = 30_000;
const LOG_EVERY_MS = 1000;
const DRAIN_MS = 12_000;
/**
 * CodeBuild's agent logs this as it finishes its last phase: once read (and a read after it comes
 * back empty) the stream is complete, and the drain need not wait out DRAIN_MS.
 */
const CLOSING_LINE = /^\[Container\] .*Phase complete: UPLOAD_ARTIFACTS State: /;
/** A call that keeps failing (throttled, or AWS unreachable) is retried for good; after this long, kiln says so. */
const NOTICE_AFTER_MS = 30_000;
/**
 * Once the build has ended its outcome is known: CloudWatch Logs still failing this long after the
 * end stops the drain (with a notice naming `kiln logs`), so a dead network cannot hold a CI step.
 */
const LAST_LINES_GIVE_UP_MS = 120_000;

export interface FollowResult {
  build: Build;
  detached: boolean;
}

export async function getBuild(
  codebuild: Pick<CodeBuildClient, 'send'>,
  buildId: string,
  clock: Clock = realClock,
  retry: Omit<BackoffOptions, 'clock'> = {},
): Promise<Build> {
  const response = await withBackoff(() => codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] })), {
    ...retry,
    clock,
  });
  const build = response.builds?.[0];
  if (!build) throw new KilnError(`build ${buildId} not found`, 'List recent builds with `kiln builds`.');
  return build;
}

export async function followBuild(options: FollowOptions): Promise<FollowResult> {
  const { codebuild, logs, buildId, onEvent, signal } = options;
  const clock = options.clock ?? realClock;
  const statusEveryMs = options.statusEveryMs ?? STATUS_EVERY_MS;
  const streamWaitEveryMs = options.streamWaitEveryMs ?? STREAM_WAIT_EVERY_MS;
  const logEveryMs = options.logEveryMs ?? LOG_EVERY_MS;
  const drainMs = options.drainMs ?? DRAIN_MS;
  const timeline = new PhaseTimeline();
  const notice = (message: string) => onEvent({ kind: 'notice', message });
  let tail: LogTail | undefined;
  /** When the build was first seen ended, then when the drain last read a line. */
  let quietSince: number | undefined;
  let queuedSince: number | undefined;
  let closed = false;

  /** When the build was first seen ended. */
  let endedAt: number | undefined;
  const drainGivenUp = () => endedAt !== undefined && clock.now() - endedAt >= LAST_LINES_GIVE_UP_MS;
  /**
   * The build goes on whatever AWS says about the pace or the network: following never gives up on
   * either while it runs (the last log lines only LAST_LINES_GIVE_UP_MS after the end).
   */
  const untilItWorks = (service: string): Omit<BackoffOptions, 'clock'> => ({
    maxAttempts: Number.POSITIVE_INFINITY,
    retryable: isTemporaryFailure,
    ...(signal ? { signal } : {}),
    longFailure: { afterMs: NOTICE_AFTER_MS, notify: (ms, error) => notice(stillTrying(service, ms, error)) },
  });
  /** Log reads failing on the way: since when, and whether kiln has said so. */
  let logsFailingSince: number | undefined;
  let logsFailureTold = false;
  /** One notice per log outage, whether one long read or several short ones lasted NOTICE_AFTER_MS. */
  const tellLogsFailing = (failingMs: number, error: unknown) => {
    if (logsFailureTold) return;
    logsFailureTold = true;
    notice(stillTrying('CloudWatch Logs', failingMs, error));
  };
  /**
   * A failing log read is retried in place until the status is due, then the loop reads the status
   * and comes back: a log outage never hides the build's end. After the end, it is retried until the
   * drain gives up.
   */
  const logReads: Omit<BackoffOptions, 'clock'> = {
    ...untilItWorks('CloudWatch Logs'),
    retryable: (error) =>
      isTemporaryFailure(error) && !drainGivenUp() && (isComplete(build) || clock.now() < nextStatusAt),
    longFailure: { afterMs: NOTICE_AFTER_MS, notify: tellLogsFailing },
  };
  const refresh = async () => {
    const build = await getBuild(codebuild, buildId, clock, untilItWorks('CodeBuild'));
    onEvent({ kind: 'status', build });
    // Once there is a log to read, its phases are shown in order with their lines.
    if (hasStream(build)) timeline.readingLog();
    for (const event of timeline.fromStatus(build)) onEvent(event);
    queuedSince = build.currentPhase === 'QUEUED' ? (queuedSince ?? clock.now()) : undefined;
    return build;
  };
  /** Every 5 s, but every second while the log stream is still to be named (unless long queued). */
  const statusPace = (build: Build) =>
    hasStream(build) || (queuedSince !== undefined && clock.now() - queuedSince >= LONG_QUEUE_MS)
      ? statusEveryMs
      : streamWaitEveryMs;
  const finish = (result: FollowResult): FollowResult => {
    if (!result.detached) for (const event of timeline.flush()) onEvent(event);
    return result;
  };
  /** One log line: a phase marker moves the timeline (a status read first if it lags), others are passed on. */
  const readLine = async (line: LogLine) => {
    const marker = agentMarker(line.message);
    if (marker && marker.kind !== 'context' && timeline.needsStatusBefore(marker.phase)) {
      build = await refresh();
      nextStatusAt = clock.now() + statusPace(build);
    }
    if (marker) for (const event of timeline.fromLog(marker, line.timestamp)) onEvent(event);
    if (!isAgentBookkeeping(line.message)) onEvent({ kind: 'log', line });
  };

  // Until the first status read, only the id is known.
  let build: Build = { id: buildId };
  let nextStatusAt = 0;
  try {
    build = await refresh();
    nextStatusAt = clock.now() + statusPace(build);
    for (;;) {
      if (signal?.aborted) return { build, detached: true };
      const ended = isComplete(build);
      if (ended) {
        quietSince ??= clock.now();
        endedAt ??= clock.now();
      }
      if (!tail && hasStream(build))
        tail = new LogTail(logs, build.logs.groupName, build.logs.streamName, clock, logReads);
      let backlog = false;
      if (tail) {
        let read: Awaited<ReturnType<LogTail['read']>>;
        try {
          read = await tail.read();
          logsFailingSince = undefined;
          logsFailureTold = false;
        } catch (error) {
          if (!isTemporaryFailure(error)) throw error;
          if (drainGivenUp()) {
            notice(
              `the build's last log lines could not be read (${reasonOf(error)}); \`kiln logs ${buildId}\` shows them once CloudWatch Logs answers`,
            );
            return finish({ build, detached: false });
          }
          // The status is due: read it (below), then the log again from the same token.
          logsFailingSince ??= clock.now();
          if (clock.now() - logsFailingSince >= NOTICE_AFTER_MS)
            tellLogsFailing(clock.now() - logsFailingSince, error);
          read = { lines: [], found: true, caughtUp: true };
        }
        for (const line of read.lines) await readLine(line);
        if (ended && read.lines.length) quietSince = clock.now();
        backlog = !read.caughtUp;
        if (ended && closed && read.lines.length === 0) return finish({ build, detached: false });
        closed ||= read.lines.some((line) => CLOSING_LINE.test(line.message));
      }
      if (ended && !backlog && (!tail || clock.now() - quietSince! >= drainMs))
        return finish({ build, detached: false });
      // A backlog (e.g. re-attaching to a long build) is read on soon; otherwise wait for more.
      await clock.sleep(
        backlog ? BACKLOG_EVERY_MS : tail ? logEveryMs : Math.max(0, nextStatusAt - clock.now()),
        signal,
      );
      if (signal?.aborted) return { build, detached: true };
      if (!ended && clock.now() >= nextStatusAt) {
        build = await refresh();
        nextStatusAt = clock.now() + statusPace(build);
      }
    }
  } catch (error) {
    // Aborted while waiting out a failure: a detach like any other.
    if (signal?.aborted) return { build, detached: true };
    throw error;
  }
}

function hasStream(build: Build): build is Build & { logs: { groupName: string; streamName: string } } {
  return Boolean(build.logs?.groupName && build.logs.streamName);
}

/** `CloudWatch Logs unreachable for 30 s (ECONNRESET), still trying…` */
function stillTrying(service: string, failingMs: number, error: unknown): string {
  const what = isThrottling(error) ? 'keeps throttling kiln' : 'unreachable';
  return `${service} ${what} for ${Math.round(failingMs / 1000)} s (${reasonOf(error)}), still trying…`;
}

/** The error's name (`ECONNRESET`, `ThrottlingException`), else the first line of its message. */
function reasonOf(error: unknown): string {
  return errorName(error) || messageOf(error).split('\n', 1)[0]!;
}
