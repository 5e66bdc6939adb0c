// `kiln build` (remote): pack → upload → StartBuild → follow, with Ctrl-C meaning "abort the upload"
// before a build exists, "stop the build" once it runs, and "detach" the second time.
import type { BuildDescription } from '../../runner/description';
import { EXIT_CODES, KilnError } from '../../runner/errors';
import { type Clock, realClock } from '../follow/clock';
import { followBuild } from '../follow/follow-build';
import type { InterruptSource } from '../follow/interrupts';
import { type BuildOutcome, remoteTimings, summarizeBuild } from '../follow/outcome';
import type { BuildReporter } from '../output/build-reporter';
import { formatBytes, formatDuration } from '../output/format';
import type { Logger } from '../output/logger';
import { consoleUrl, startBuild, stopBuild } from './codebuild';
import type { RemoteSession } from './session';
import { sessionError } from './session';

/** What `kiln build` needs of the packed archive. */
export interface ArchiveInfo {
  sha256: string;
  size: number;
  files: readonly unknown[];
}

/** pack and upload (which reports its own progress), injected so tests can replace them. */
export interface BuildSteps<A extends ArchiveInfo> {
  pack(input: { projectDir: string; description: BuildDescription; signal: AbortSignal }): Promise<A>;
  upload(input: {
    s3: RemoteSession['clients']['s3'];
    bucket: string;
    archive: A;
    signal: AbortSignal;
  }): Promise<{ key: string; skipped: boolean }>;
}

export interface RemoteBuildOptions<A extends ArchiveInfo> {
  projectDir: string;
  description: BuildDescription;
  buildArgs: Record<string, string>;
  async: boolean;
  computeType?: string;
  timeoutMinutes?: number;
  openSession: () => Promise<RemoteSession>;
  steps: BuildSteps<A>;
  reporter: BuildReporter;
  interrupts: InterruptSource;
  logger: Logger;
  clock?: Clock;
}

/** The `--json` document (seconds for timings; null where not applicable). */
export interface BuildDocument {
  buildId: string | null;
  status: string;
  imageUri: string | null;
  digest: string | null;
  tags: string[];
  failedPhase: BuildOutcome['failedPhase'] | null;
  timings: {
    pack: number | null;
    upload: number | null;
    queued: number | null;
    build: number | null;
    total: number;
  };
  logsUrl: string | null;
  consoleUrl: string | null;
}

export interface BuildResult {
  document: BuildDocument;
  exitCode: number;
}

type Stage = 'prepare' | 'starting' | 'following' | 'stopping' | 'done';

export async function runRemoteBuild<A extends ArchiveInfo>(
  options: RemoteBuildOptions<A>,
): Promise<BuildResult> {
  const { reporter, logger } = options;
  const clock = options.clock ?? realClock;
  const seconds = (from: number) => Math.round(clock.now() - from) / 1000;
  const begin = clock.now();
  const cancelUpload = new AbortController();
  const detach = new AbortController();
  let stage: Stage = 'prepare';
  let session: RemoteSession | undefined;
  let buildId = '';
  let stopping: Promise<void> | undefined;
  /** Ctrl-C arrived while StartBuild was in flight: stop the build as soon as its id is known. */
  let stopAfterStart = false;

  const requestStop = () => {
    stage = 'stopping';
    reporter.note(`stopping build ${buildId} (Ctrl-C again to detach)`);
    stopping = stopBuild(session!.clients.codebuild, buildId).catch((error) => {
      const reason = sessionError(session!, error);
      reporter.note(
        `could not stop build ${buildId}: ${reason instanceof Error ? reason.message : String(reason)}`,
      );
    });
  };
  const unsubscribe = options.interrupts(() => {
    if (stage === 'prepare') cancelUpload.abort();
    else if (stage === 'following') requestStop();
    else if (stage === 'stopping') detach.abort();
    else if (stage === 'starting') stopAfterStart = true;
  });

  try {
    let packSeconds: number;
    let uploadSeconds: number;
    let sourceKey: string;
    try {
      session = await options.openSession();
      logger.debug({ ...session.infra }, 'infrastructure');
      cancelUpload.signal.throwIfAborted();
      let start = clock.now();
      const archive = await options.steps.pack({
        projectDir: options.projectDir,
        description: options.description,
        signal: cancelUpload.signal,
      });
      packSeconds = seconds(start);
      reporter.note(
        `packed ${archive.files.length} files (${formatBytes(archive.size)}) in ${formatDuration(packSeconds)}`,
      );
      start = clock.now();
      const uploaded = await options.steps.upload({
        s3: session.clients.s3,
        bucket: session.infra.bucket,
        archive,
        signal: cancelUpload.signal,
      });
      uploadSeconds = seconds(start);
      sourceKey = uploaded.key;
      logger.debug(
        { bucket: session.infra.bucket, key: uploaded.key, skipped: uploaded.skipped },
        'source uploaded',
      );
      cancelUpload.signal.throwIfAborted();
    } catch (error) {
      if (cancelUpload.signal.aborted) {
        throw new KilnError(
          'interrupted: upload aborted, no build was started',
          undefined,
          EXIT_CODES.interrupted,
        );
      }
      throw session ? sessionError(session, error) : error;
    }

    stage = 'starting';
    const { infra, clients } = session;
    const started = await startBuild(clients.codebuild, {
      infra,
      sourceKey,
      projectName: options.description.name,
      buildArgs: options.buildArgs,
      ...(options.description.config.remote.repository
        ? { repositoryUri: `${infra.account}.dkr.ecr.${infra.region}.amazonaws.com/${infra.repository}` }
        : {}),
      ...(options.computeType ? { computeType: options.computeType } : {}),
      ...(options.timeoutMinutes ? { timeoutMinutes: options.timeoutMinutes } : {}),
    }).catch((error) => {
      throw sessionError(session!, error);
    });
    buildId = started.id!;
    const url = consoleUrl(infra.region, infra.account, infra.project, buildId);
    logger.debug(
      { buildId, project: infra.project, source: `${infra.bucket}/${sourceKey}` },
      'build started',
    );
    reporter.started(buildId, url);
    const document = (
      outcome: BuildOutcome,
      logsUrl: string | null,
      remote: { queued?: number; build?: number } = {},
    ): BuildDocument => ({
      buildId,
      status: outcome.status,
      imageUri: outcome.imageUri ?? null,
      digest: outcome.digest ?? null,
      tags: outcome.tags,
      failedPhase: outcome.failedPhase ?? null,
      timings: {
        pack: packSeconds,
        upload: uploadSeconds,
        queued: remote.queued ?? null,
        build: remote.build ?? null,
        total: seconds(begin),
      },
      logsUrl,
      consoleUrl: url,
    });

    if (options.async && !stopAfterStart) {
      reporter.note(`follow it with: kiln logs ${buildId} --follow`);
      return { document: document(summarizeBuild(started, clock.now()), null), exitCode: EXIT_CODES.success };
    }

    if (stopAfterStart) requestStop();
    else stage = 'following';
    let followed: Awaited<ReturnType<typeof followBuild>>;
    try {
      followed = await followBuild({
        codebuild: clients.codebuild,
        logs: clients.logs,
        buildId,
        clock,
        signal: detach.signal,
        onEvent: (event) => {
          if (event.kind === 'status')
            logger.debug({ phase: event.build.currentPhase, status: event.build.buildStatus }, 'status');
          reporter.event(event);
        },
      });
    } catch (error) {
      const reason = sessionError(session, error);
      throw new KilnError(
        `lost track of build ${buildId}: ${reason instanceof Error ? reason.message : String(reason)}`,
        `It may still be running. Re-attach with: kiln logs ${buildId} --follow`,
        EXIT_CODES.detached,
      );
    }
    stage = 'done';
    const outcome = summarizeBuild(followed.build, clock.now());
    const result = document(
      outcome,
      followed.build.logs?.deepLink ?? null,
      remoteTimings(followed.build, clock.now()),
    );
    if (followed.detached) {
      reporter.stop();
      reporter.note(
        `detached; build ${buildId} keeps running. Re-attach with: kiln logs ${buildId} --follow`,
      );
      return { document: result, exitCode: EXIT_CODES.detached };
    }
    await stopping;
    reporter.summary(outcome);
    return { document: result, exitCode: outcome.exitCode };
  } finally {
    unsubscribe();
    reporter.stop();
  }
}
