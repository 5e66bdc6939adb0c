// Follows one CodeBuild build: each phase once, with its duration, in order with the build's log
// lines (none duplicated or lost; the agent's own phase bookkeeping is read, not passed on), until the
// build has ended and its log stream is drained. A small loop over injected clients and clock, so
// every timing case is testable without waiting.

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, type Build, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { KilnError } from '../../contract/errors';
import { agentMarker, isAgentBookkeeping } from './agent-log';
import { withThrottleBackoff } from './backoff';
import { type Clock, realClock } from './clock';
import { BACKLOG_EVERY_MS, type LogLine, LogTail } from './log-tail';
import { isComplete } from './outcome';
import { type PhaseEvent, PhaseTimeline } from './phases';

export type FollowEvent = PhaseEvent | { kind: 'log'; line: LogLine } | { kind: 'status'; build: Build };

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
  /** Log poll interval: lines show up within about this long of their ingestion. */
  logEveryMs?: number;
  /** After the build ends, reads go on until this long has passed without a new line. */
  drainMs?: number;
}

/**
 * AWS-paced defaults. GetLogEvents is throttled per account and region (25 calls per second, shared
 * by every follower and the console): one call a second per follower keeps lines within about a
 * second of ingestion. BatchGetBuilds only moves phases, so every 5 s. CloudWatch ingests the last
 * lines seconds after CodeBuild reports the build complete, so reading goes on for 12 s without a
 * new line (AWS's own CodeBuild GitHub action also keeps reading after the end).
 */
const STATUS_EVERY_MS = 5000;
const LOG_EVERY_MS = 1000;
const DRAIN_MS = 12_000;
/**
 * CodeBuild's agent logs this as it finishes its last phase: once read (and a read after it comes
 * back empty) the stream is complete, and the drain need not wait out DRAIN_MS.
 */
const CLOSING_LINE = /^\[Container\] .*Phase complete: UPLOAD_ARTIFACTS State: /;
/** Between two reads of a backlog (each up to a few pages). */

export interface FollowResult {
  build: Build;
  detached: boolean;
}

export async function getBuild(
  codebuild: Pick<CodeBuildClient, 'send'>,
  buildId: string,
  clock: Clock = realClock,
  maxAttempts?: number,
): Promise<Build> {
  const response = await withThrottleBackoff(
    () => codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] })),
    { clock, ...(maxAttempts ? { maxAttempts } : {}) },
  );
  const build = response.builds?.[0];
  if (!build) throw new KilnError(`build ${buildId} not found`, 'List recent builds with `kiln builds`.');
  return build;
}

export async function followBuild(options: FollowOptions): Promise<FollowResult> {
  const { codebuild, logs, buildId, onEvent, signal } = options;
  const clock = options.clock ?? realClock;
  const statusEveryMs = options.statusEveryMs ?? STATUS_EVERY_MS;
  const logEveryMs = options.logEveryMs ?? LOG_EVERY_MS;
  const drainMs = options.drainMs ?? DRAIN_MS;
  const timeline = new PhaseTimeline();
  let tail: LogTail | undefined;
  /** When the build was first seen ended, then when the drain last read a line. */
  let quietSince: number | undefined;
  let closed = false;

  const refresh = async () => {
    // Throttling never ends following: the build goes on whatever AWS says about the pace.
    const build = await getBuild(codebuild, buildId, clock, Number.POSITIVE_INFINITY);
    onEvent({ kind: 'status', build });
    // Once there is a log to read, its phases are shown in order with their lines.
    if (build.logs?.groupName && build.logs.streamName) timeline.readingLog();
    for (const event of timeline.fromStatus(build)) onEvent(event);
    return build;
  };
  const finish = (result: FollowResult): FollowResult => {
    if (!result.detached) for (const event of timeline.flush()) onEvent(event);
    return result;
  };
  /** One log line: a phase marker moves the timeline (a status read first if it lags), others are passed on. */
  const readLine = async (line: LogLine) => {
    const marker = agentMarker(line.message);
    if (marker && marker.kind !== 'context' && timeline.needsStatusBefore(marker.phase)) {
      build = await refresh();
      nextStatusAt = clock.now() + statusEveryMs;
    }
    if (marker) for (const event of timeline.fromLog(marker, line.timestamp)) onEvent(event);
    if (!isAgentBookkeeping(line.message)) onEvent({ kind: 'log', line });
  };

  let build = await refresh();
  let nextStatusAt = clock.now() + statusEveryMs;
  for (;;) {
    if (signal?.aborted) return { build, detached: true };
    const ended = isComplete(build);
    if (ended) quietSince ??= clock.now();
    const group = build.logs?.groupName;
    const stream = build.logs?.streamName;
    if (!tail && group && stream) tail = new LogTail(logs, group, stream, clock, Number.POSITIVE_INFINITY);
    let backlog = false;
    if (tail) {
      const read = await tail.read();
      for (const line of read.lines) await readLine(line);
      if (ended && read.lines.length) quietSince = clock.now();
      backlog = !read.caughtUp;
      if (ended && closed && read.lines.length === 0) return finish({ build, detached: false });
      closed ||= read.lines.some((line) => CLOSING_LINE.test(line.message));
    }
    if (ended && !backlog && (!tail || clock.now() - quietSince! >= drainMs))
      return finish({ build, detached: false });
    // A backlog (e.g. re-attaching to a long build) is read on soon; otherwise wait for more.
    await clock.sleep(backlog ? BACKLOG_EVERY_MS : tail ? logEveryMs : statusEveryMs, signal);
    if (signal?.aborted) return { build, detached: true };
    if (!ended && clock.now() >= nextStatusAt) {
      build = await refresh();
      nextStatusAt = clock.now() + statusEveryMs;
    }
  }
}
