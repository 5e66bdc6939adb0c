// `kiln build` (remote): pack → upload → StartBuild → follow, with Ctrl-C meaning "abort the upload"
// before a build exists, "stop the build" once it runs, and "detach" the second time.
import type { Build } from '@aws-sdk/client-codebuild';
import { primaryArchitecture } from '../../../contract/architectures';
import type { BuildDescription } from '../../../contract/description';
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import { ecrRepositoryUri } from '../../../contract/infra-names';
import { formatTags } from '../../../runner/index';
import {
  type BuiltImageLookup,
  findBuiltImage,
  inputKey,
  inputTag,
  tagBuiltImage,
} from '../../aws/built-image';
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
import { BuildSecrets } from './build-secrets-lifecycle';

/** What `kiln build` needs of the packed archive. */
export interface ArchiveInfo {
  sha256: string;
  size: number;
  files: readonly unknown[];
}

/** pack, upload (which reports its own progress) and discard, injected so tests can replace them. */
export interface BuildSteps<A extends ArchiveInfo> {
  pack(input: { projectDir: string; description: BuildDescription; signal: AbortSignal }): Promise<A>;
  upload(input: {
    s3: RemoteSession['clients']['s3'];
    bucket: string;
    archive: A;
    signal: AbortSignal;
  }): Promise<{ key: string; skipped: boolean }>;
  /** The packed archive is done with: uploaded, found unchanged in ECR, or the build failed to start. */
  discard(archive: A): Promise<void>;
}

export interface RemoteBuildOptions<A extends ArchiveInfo> {
  projectDir: string;
  description: BuildDescription;
  buildArgs: Record<string, string>;
  /** `--secret` values by name: stored as SSM SecureStrings for this build only (../../aws/build-secrets). */
  secrets?: Record<string, string>;
  async: boolean;
  /** `--force`: build even when ECR holds an image built from the same input. */
  force: boolean;
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
  /** No build ran: ECR held an image built from the same input, now tagged as requested. */
  skipped: boolean;
  skipReason: string | null;
}

export interface BuildResult {
  document: BuildDocument;
  exitCode: number;
}

/** Ctrl-C before any build exists: the upload stops and nothing is left running. */
export function uploadAborted(): KilnError {
  return new KilnError(
    'interrupted: upload aborted, no build was started',
    undefined,
    EXIT_CODES.interrupted,
  );
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
  /** This build's secret parameters, deleted when kiln is done with the build (the runner may be first). */
  private secrets: BuildSecrets | undefined;

  constructor(private readonly options: RemoteBuildOptions<A>) {
    this.clock = options.clock ?? realClock;
    this.begin = this.clock.now();
  }

  async run(): Promise<BuildResult> {
    const unsubscribe = this.options.interrupts(() => this.interrupted());
    try {
      const source = await this.prepareSource();
      if ('reused' in source && source.reused) return this.skipped(source.reused, source.timings);
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
          skipped: false,
          skipReason: null,
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
      // A build left running by --async: its runner deletes them once CodeBuild has read them (or their expiration does).
      const leftRunning = this.options.async && !this.stopAfterStart && this.buildId !== '';
      if (!leftRunning) await this.secrets?.delete();
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
      // The session (credential chain, STS) and the pack need nothing of each other: run together.
      let start = this.clock.now();
      let pack = 0;
      const [opened, packed] = await Promise.allSettled([
        // The credential chain and STS have no abort path of their own: an interruption must not wait on them.
        abortable(options.openSession(), signal),
        options.steps
          .pack({ projectDir: options.projectDir, description: options.description, signal })
          .finally(() => {
            pack = this.secondsSince(start);
          }),
      ]);
      if (opened.status === 'rejected') {
        if (packed.status === 'fulfilled') await options.steps.discard(packed.value);
        throw opened.reason;
      }
      const session = opened.value;
      this.session = session;
      options.logger.debug({ ...session.infra }, 'infrastructure');
      if (packed.status === 'rejected') throw packed.reason;
      const archive = packed.value;
      options.reporter.note(
        `packed ${archive.files.length} files (${formatBytes(archive.size)}) in ${formatDuration(pack)}`,
      );
      try {
        signal.throwIfAborted();
        const tag = inputTag(
          inputKey({
            archiveSha256: archive.sha256,
            arch: primaryArchitecture(options.description.config.remote.arch),
            buildArgs: options.buildArgs,
          }),
        );
        const reused = options.force ? undefined : await this.builtImage(session, tag);
        if (reused) return { session, reused, timings: { pack, upload: null } };
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
        return { session, sourceKey: uploaded.key, inputTag: tag, timings: { pack, upload } };
      } finally {
        await options.steps.discard(archive);
      }
    } catch (error) {
      if (signal.aborted) throw uploadAborted();
      throw this.session ? sessionError(this.session, error) : error;
    }
  }

  /**
   * The image built from this input, if ECR has it, tagged as this build would tag it. A lookup that
   * fails (no permission, throttled, no repository) only means a normal build, with a warning.
   */
  private async builtImage(session: RemoteSession, tag: string) {
    const { options } = this;
    const { repository } = session.infra;
    const found: BuiltImageLookup = await findBuiltImage(session.clients.ecr, repository, tag);
    if (found.kind === 'unavailable') {
      options.reporter.note(`warning: could not look for an unchanged image (${found.reason}); building`);
      return undefined;
    }
    if (found.kind === 'missing') return undefined;
    const { description } = options;
    const tags = formatTags(description.config.docker.tag, {
      friendlyTag: description.name,
      timestamp: new Date(this.clock.now()),
      gitSha: description.git?.sha,
      gitBranch: description.git?.branch,
      gitDirty: description.git?.dirty,
    });
    await tagBuiltImage(session.clients.ecr, repository, found, tags);
    return {
      imageUri: `${ecrRepositoryUri(session.infra.account, session.infra.region, repository)}:${tags[0]}`,
      digest: found.digest,
      tags,
      reason: `unchanged: ${repository}:${tag} was built from the same input (archive, architecture, build args); use --force to rebuild`,
    };
  }

  private skipped(
    reused: { imageUri: string; digest: string; tags: string[]; reason: string },
    timings: { pack: number; upload: null },
  ): BuildResult {
    this.options.reporter.note(reused.reason);
    this.options.reporter.note(`no build started; tagged ${reused.tags.join(', ')}`);
    this.options.reporter.note(`image ${reused.imageUri} (${reused.digest})`);
    return {
      exitCode: EXIT_CODES.success,
      document: {
        buildId: null,
        status: 'SUCCEEDED',
        imageUri: reused.imageUri,
        digest: reused.digest,
        tags: reused.tags,
        failedPhase: null,
        timings: { ...timings, queued: null, build: null, total: this.secondsSince(this.begin) },
        logsUrl: null,
        consoleUrl: null,
        skipped: true,
        skipReason: reused.reason,
      },
    };
  }

  private async start({
    session,
    sourceKey,
    inputTag,
  }: {
    session: RemoteSession;
    sourceKey: string;
    inputTag: string;
  }): Promise<Build> {
    const { options } = this;
    const { infra, clients } = session;
    this.secrets = new BuildSecrets(session, options.reporter);
    const secrets = await this.secrets.store(options.secrets ?? {}, options.timeoutMinutes);
    const build = await startBuild(clients.codebuild, {
      infra,
      sourceKey,
      inputTag,
      projectName: options.description.name,
      buildArgs: options.buildArgs,
      ...(secrets ? { secrets } : {}),
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
      this.options.reporter.stopFailed(this.buildId, messageOf(sessionError(session, error)));
    });
  }

  private secondsSince(from: number): number {
    return Math.round(this.clock.now() - from) / 1000;
  }
}
