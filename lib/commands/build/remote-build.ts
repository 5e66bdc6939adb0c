// `kiln build` (remote): pack → upload → StartBuild → follow, with Ctrl-C meaning "abort the upload"
// before a build exists, "stop the build" once it runs, and "detach" the second time.
import type { Build } from '@aws-sdk/client-codebuild';
import type { BuildDescription } from '../../../contract/description';
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import { ecrRepositoryUri } from '../../../contract/infra-names';
import { consoleUrl, startBuild, stopBuild } from '../../aws/codebuild';
import { messageOf } from '../../aws/errors';
import type { RemoteSession } from '../../aws/session';
import { sessionError } from '../../aws/session';
import { type Clock, realClock } from '../../follow/clock';
import { followBuild } from '../../follow/follow-build';
import { abortable, type InterruptSource } from '../../follow/interrupts';
import { type BuildOutcome, remoteTimings, summarizeBuild } from '../../follow/outcome';
import type { BuildReporter } from '../../output/build-reporter';
import { formatBytes, formatDuration } from '../../output/format';
import type { Logger } from '../../output/logger';

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
  /** `--verbose`: the runner in CodeBuild prints stack traces too. */
  debug?: boolean;
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

export function runRemoteBuild<A extends ArchiveInfo>(options: RemoteBuildOptions<A>): Promise<BuildResult> {
  return new RemoteBuildRun(options).run();
}

/** One `kiln build`: its stage decides what Ctrl-C means. */
class RemoteBuildRun<A extends ArchiveInfo> {
  private readonly clock: Clock;
  private readonly begin: number;
  private readonly cancelUpload = new AbortController();
  private readonly detach = new AbortController();
  private stage: Stage = 'prepare';
  /** Ctrl-C arrived while StartBuild was in flight: stop the build as soon as its id is known. */
  private stopAfterStart = false;
  private stopping: Promise<void> | undefined;
  private buildId = '';
  private session: RemoteSession | undefined;

  constructor(private readonly options: RemoteBuildOptions<A>) {
    this.clock = options.clock ?? realClock;
    this.begin = this.clock.now();
  }

  async run(): Promise<BuildResult> {
    const unsubscribe = this.options.interrupts(() => this.interrupted());
    try {
      const source = await this.prepareSource();
      const { session } = source;
      this.stage = 'starting';
      const started = await this.start(source).catch((error) => {
        throw sessionError(session, error);
      });
      this.buildId = started.id!;
      const { infra } = session;
      const url = consoleUrl(infra.region, infra.account, infra.project, this.buildId);
      this.options.reporter.started(this.buildId, url);
      const document = (build: Build, remote: { queued?: number; build?: number } = {}): BuildDocument => {
        const outcome = summarizeBuild(build, this.clock.now());
        return {
          buildId: this.buildId,
          status: outcome.status,
          imageUri: outcome.imageUri ?? null,
          digest: outcome.digest ?? null,
          tags: outcome.tags,
          failedPhase: outcome.failedPhase ?? null,
          timings: {
            ...source.timings,
            queued: remote.queued ?? null,
            build: remote.build ?? null,
            total: this.secondsSince(this.begin),
          },
          logsUrl: build.logs?.deepLink ?? null,
          consoleUrl: url,
        };
      };

      if (this.options.async && !this.stopAfterStart) {
        this.options.reporter.note(`follow it with: kiln logs ${this.buildId} --follow`);
        return { document: document(started), exitCode: EXIT_CODES.success };
      }
      if (this.stopAfterStart) this.requestStop(session);
      else this.stage = 'following';
      const followed = await this.follow(session);
      this.stage = 'done';
      const result = document(followed.build, remoteTimings(followed.build, this.clock.now()));
      if (followed.detached) {
        this.options.reporter.detached(this.buildId);
        return { document: result, exitCode: EXIT_CODES.detached };
      }
      await this.stopping;
      const outcome = summarizeBuild(followed.build, this.clock.now());
      this.options.reporter.summary(outcome);
      return { document: result, exitCode: outcome.exitCode };
    } finally {
      unsubscribe();
      this.options.reporter.stop();
    }
  }

  private interrupted(): void {
    if (this.stage === 'prepare') this.cancelUpload.abort();
    else if (this.stage === 'starting') this.stopAfterStart = true;
    else if (this.stage === 'following') this.requestStop(this.session!);
    else if (this.stage === 'stopping') this.detach.abort();
  }

  /** Session, pack, upload: everything before a build exists, all cancelled by Ctrl-C. */
  private async prepareSource() {
    const { options } = this;
    const signal = this.cancelUpload.signal;
    try {
      // The credential chain and STS have no abort path of their own: an interruption must not wait on them.
      const session = await abortable(options.openSession(), signal);
      this.session = session;
      options.logger.debug({ ...session.infra }, 'infrastructure');
      signal.throwIfAborted();
      let start = this.clock.now();
      const archive = await options.steps.pack({
        projectDir: options.projectDir,
        description: options.description,
        signal,
      });
      const pack = this.secondsSince(start);
      options.reporter.note(
        `packed ${archive.files.length} files (${formatBytes(archive.size)}) in ${formatDuration(pack)}`,
      );
      start = this.clock.now();
      const uploaded = await options.steps.upload({
        s3: session.clients.s3,
        bucket: session.infra.bucket,
        archive,
        signal,
      });
      const upload = this.secondsSince(start);
      options.logger.debug({ bucket: session.infra.bucket, ...uploaded }, 'source uploaded');
      signal.throwIfAborted();
      return { session, sourceKey: uploaded.key, timings: { pack, upload } };
    } catch (error) {
      if (signal.aborted) {
        throw new KilnError(
          'interrupted: upload aborted, no build was started',
          undefined,
          EXIT_CODES.interrupted,
        );
      }
      throw this.session ? sessionError(this.session, error) : error;
    }
  }

  private async start({ session, sourceKey }: { session: RemoteSession; sourceKey: string }): Promise<Build> {
    const { options } = this;
    const { infra, clients } = session;
    const build = await startBuild(clients.codebuild, {
      infra,
      sourceKey,
      projectName: options.description.name,
      buildArgs: options.buildArgs,
      debug: Boolean(options.debug),
      ...(options.description.config.remote.repository
        ? { repositoryUri: ecrRepositoryUri(infra.account, infra.region, infra.repository) }
        : {}),
      ...(options.computeType ? { computeType: options.computeType } : {}),
      ...(options.timeoutMinutes ? { timeoutMinutes: options.timeoutMinutes } : {}),
    });
    options.logger.debug(
      { buildId: build.id, project: infra.project, source: `${infra.bucket}/${sourceKey}` },
      'build started',
    );
    return build;
  }

  private async follow(session: RemoteSession) {
    const { reporter, logger } = this.options;
    let lastState = '';
    try {
      return await followBuild({
        codebuild: session.clients.codebuild,
        logs: session.clients.logs,
        buildId: this.buildId,
        clock: this.clock,
        signal: this.detach.signal,
        onEvent: (event) => {
          if (event.kind === 'status') {
            const { currentPhase: phase, buildStatus: status } = event.build;
            // One debug line per change, not one per poll.
            if (`${phase}/${status}` !== lastState) logger.debug({ phase, status }, 'status');
            lastState = `${phase}/${status}`;
          }
          reporter.event(event);
        },
      });
    } catch (error) {
      // The build exists and may still run: never leave it behind without saying so.
      throw new KilnError(
        `lost track of build ${this.buildId}: ${messageOf(sessionError(session, error))}`,
        `It may still be running. Re-attach with: kiln logs ${this.buildId} --follow`,
        EXIT_CODES.detached,
      );
    }
  }

  private requestStop(session: RemoteSession): void {
    this.stage = 'stopping';
    this.options.reporter.note(`stopping build ${this.buildId} (Ctrl-C again to detach)`);
    this.stopping = stopBuild(session.clients.codebuild, this.buildId).catch((error) => {
      this.options.reporter.note(
        `could not stop build ${this.buildId}: ${messageOf(sessionError(session, error))}`,
      );
    });
  }

  private secondsSince(from: number): number {
    return Math.round(this.clock.now() - from) / 1000;
  }
}
