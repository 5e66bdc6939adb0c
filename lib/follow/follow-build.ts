// Follows one CodeBuild build: phase transitions as they happen, then its log lines in order, none
// duplicated or lost, until the build has ended and its log stream is drained. A small loop over
// injected clients and clock, so every timing case is testable without waiting.

import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, type Build, type CodeBuildClient } from '@aws-sdk/client-codebuild';
import { KilnError } from '../../contract/errors';
import { withThrottleBackoff } from './backoff';
import { type Clock, realClock } from './clock';
import { type LogLine, LogTail } from './log-tail';
import { isComplete } from './outcome';
import { type PhaseEvent, PhaseTracker } from './phases';

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
  /** Log poll interval once the stream exists: shorter, so lines show up well under a second late. */
  logEveryMs?: number;
  /** After the build ends, this many consecutive empty reads (one status interval apart) mean drained. */
  drainEmptyReads?: number;
}

export interface FollowResult {
  build: Build;
  detached: boolean;
}

export async function getBuild(
  codebuild: Pick<CodeBuildClient, 'send'>,
  buildId: string,
  clock: Clock = realClock,
): Promise<Build> {
  const response = await withThrottleBackoff(
    () => codebuild.send(new BatchGetBuildsCommand({ ids: [buildId] })),
    { clock },
  );
  const build = response.builds?.[0];
  if (!build) throw new KilnError(`build ${buildId} not found`, 'List recent builds with `kiln builds`.');
  return build;
}

export async function followBuild(options: FollowOptions): Promise<FollowResult> {
  const { codebuild, logs, buildId, onEvent, signal } = options;
  const clock = options.clock ?? realClock;
  const statusEveryMs = options.statusEveryMs ?? 1000;
  const logEveryMs = options.logEveryMs ?? 500;
  const drainEmptyReads = options.drainEmptyReads ?? 2;
  const tracker = new PhaseTracker();
  let tail: LogTail | undefined;
  let emptyReadsAfterEnd = 0;

  const refresh = async () => {
    const build = await getBuild(codebuild, buildId, clock);
    onEvent({ kind: 'status', build });
    for (const event of tracker.update(build)) onEvent(event);
    return build;
  };

  let build = await refresh();
  let nextStatusAt = clock.now() + statusEveryMs;
  for (;;) {
    if (signal?.aborted) return { build, detached: true };
    const ended = isComplete(build);
    const group = build.logs?.groupName;
    const stream = build.logs?.streamName;
    if (!tail && group && stream) tail = new LogTail(logs, group, stream, clock);
    let backlog = false;
    if (tail) {
      const read = await tail.read();
      for (const line of read.lines) onEvent({ kind: 'log', line });
      if (ended) emptyReadsAfterEnd = read.lines.length ? 0 : emptyReadsAfterEnd + 1;
      backlog = !read.caughtUp;
    }
    if (ended && (!tail || emptyReadsAfterEnd >= drainEmptyReads)) return { build, detached: false };
    // A backlog (e.g. re-attaching to a long build) is read on at once; otherwise wait for more.
    if (!backlog) await clock.sleep(tail && !ended ? logEveryMs : statusEveryMs, signal);
    if (signal?.aborted) return { build, detached: true };
    if (!ended && clock.now() >= nextStatusAt) {
      build = await refresh();
      nextStatusAt = clock.now() + statusEveryMs;
    }
  }
}
