// `kiln build --arch x86_64,arm64`: one archive packed and uploaded once, one CodeBuild build per
// architecture started at the same time on that architecture's project, both followed in one view,
// and one image index under the requested tags. The builds publish the index themselves (the last
// to finish: runner/steps/publish-index.ts), so it appears with --async or when this process goes
// away; the laptop only checks it is there, and publishes it when the builds had no need to run.
import type { Build } from '@aws-sdk/client-codebuild';
import { ARCHITECTURES, type Architecture, architecturesOf } from '../../../contract/architectures';
import type { BuildDescription } from '../../../contract/description';
import { EXIT_CODES, KilnError } from '../../../contract/errors';
import { ecrRepositoryUri } from '../../../contract/infra-names';
import {
  encodeMembers,
  failedArchitecturesExitCode,
  type IndexMember,
  MULTI_ARCH_VARIABLES,
  memberTag,
} from '../../../contract/multi-arch';
import { formatTags, publishIndexWhenComplete } from '../../../runner/index';
import { findBuiltImage, inputKey, inputTag, tagBuiltImage } from '../../aws/built-image';
import { consoleUrl, startBuild, stopBuild } from '../../aws/codebuild';
import { ecrManifestStore } from '../../aws/ecr-manifest-store';
import { messageOf } from '../../aws/errors';
import { infrastructureNames } from '../../aws/infrastructure';
import { type RemoteSession, sessionError } from '../../aws/session';
import { type Clock, realClock } from '../../follow/clock';
import { followBuild } from '../../follow/follow-build';
import { abortable } from '../../follow/interrupts';
import { type BuildOutcome, summarizeBuild } from '../../follow/outcome';
import { BuildReporter } from '../../output/build-reporter';
import { formatBytes, formatDuration } from '../../output/format';
import { prefixedTerminal } from '../../output/prefixed-terminal';
import type { Terminal } from '../../output/terminal';
import { BuildSecrets } from './build-secrets-lifecycle';
import { type ArchiveInfo, type RemoteBuildOptions, uploadAborted } from './remote-build';

/** One architecture in the `--json` document (seconds; null where not applicable). */
export interface ArchitectureDocument {
  buildId: string | null;
  status: string;
  imageUri: string | null;
  digest: string | null;
  duration: number | null;
  failedPhase: BuildOutcome['failedPhase'] | null;
  logsUrl: string | null;
  consoleUrl: string | null;
  /** ECR held this architecture's image built from the same input: no build ran for it. */
  skipped: boolean;
}

export interface MultiArchDocument {
  status: string;
  /** The image index (what to deploy); also `imageUri`/`digest` for GitHub step outputs. */
  imageUri: string | null;
  digest: string | null;
  buildId: null;
  index: { uri: string; digest: string | null; tags: string[] };
  architectures: Partial<Record<Architecture, ArchitectureDocument>>;
  failedArchitectures: Architecture[];
  timings: { pack: number | null; upload: number | null; total: number };
  skipped: boolean;
  skipReason: string | null;
}

export interface MultiArchResult {
  document: MultiArchDocument;
  exitCode: number;
}

export interface MultiArchOptions<A extends ArchiveInfo> extends RemoteBuildOptions<A> {
  terminal: Terminal;
}

/** Refusals that need only the build description: before anything is packed or started. */
export function checkMultiArch(description: BuildDescription, local: boolean): void {
  const architectures = architecturesOf(description.config.remote.arch);
  if (architectures.length < 2) return;
  if (description.config.dockerfile.lambda) {
    throw new KilnError(
      `lambda: true cannot be built for ${architectures.join(' and ')} at once: Lambda refuses a multi-platform image index`,
      'A Lambda function runs one architecture: build once per function architecture, e.g. `kiln build --arch arm64`.',
      EXIT_CODES.usage,
    );
  }
  if (local) {
    throw new KilnError(
      `--local builds for this machine only, not for ${architectures.join(' and ')}`,
      'Drop --local to build each architecture natively on CodeBuild, or pass a single --arch.',
      EXIT_CODES.usage,
    );
  }
}

type Stage = 'prepare' | 'starting' | 'following' | 'stopping' | 'done';

interface Member {
  arch: Architecture;
  session: RemoteSession;
  inputTag: string;
  reporter: BuildReporter;
  /** Its own copy of the `--secret` values: each build's runner deletes its copy as it starts. */
  secrets?: BuildSecrets;
  /** Found unchanged in ECR (no build). */
  reused?: { digest: string };
  build?: Build;
  url?: string;
}

export function runMultiArchBuild<A extends ArchiveInfo>(
  options: MultiArchOptions<A>,
): Promise<MultiArchResult> {
  return new MultiArchRun(options).run();
}

class MultiArchRun<A extends ArchiveInfo> {
  private readonly clock: Clock;
  private readonly begin: number;
  private readonly architectures: Architecture[];
  private readonly cancelUpload = new AbortController();
  private readonly detach = new AbortController();
  private stage: Stage = 'prepare';
  private stopAfterStart = false;
  /** Every pending build started (when one cannot start, the others are stopped). */
  private startedAll = false;
  private stopping: Promise<unknown> | undefined;
  private members: Member[] = [];
  private timings = { pack: null as number | null, upload: null as number | null };
  private indexTags: string[] = [];
  private indexInputTag = '';
  private indexUri = '';

  constructor(private readonly options: MultiArchOptions<A>) {
    this.clock = options.clock ?? realClock;
    this.begin = this.clock.now();
    this.architectures = architecturesOf(options.description.config.remote.arch);
  }

  async run(): Promise<MultiArchResult> {
    const unsubscribe = this.options.interrupts(() => this.interrupted());
    try {
      const prepared = await this.prepare();
      const { session } = prepared;
      if (prepared.indexDigest) return this.finish(prepared.indexDigest, 'index');
      const pending = this.members.filter((member) => !member.reused);
      if (pending.length === 0) return this.finish(await this.publishFromHere(session), 'members');
      this.stage = 'starting';
      await this.startAll(pending, prepared.sourceKey!);
      if (this.options.async && !this.stopAfterStart) {
        this.options.reporter.note(
          `the build that finishes last publishes the image index ${this.indexUri}:${this.indexTags[0]}`,
        );
        for (const member of pending) {
          member.reporter.note(`follow it with: kiln logs ${member.build!.id} --follow`);
        }
        return this.result(null, EXIT_CODES.success);
      }
      if (this.stopAfterStart) this.stopAll();
      else this.stage = 'following';
      const detached = await this.followAll(pending);
      this.stage = 'done';
      if (detached) {
        this.options.reporter.note(
          `detached; the builds keep running and the last to finish publishes the image index. Re-attach with: ${pending.map((member) => `kiln logs ${member.build!.id} --follow`).join(' / ')}`,
        );
        return this.result(null, EXIT_CODES.detached);
      }
      await this.stopping;
      return await this.concluded(session, pending);
    } finally {
      // Builds left running by --async: their runners delete their copies (or the expiration does).
      const leftRunning = this.options.async && !this.stopAfterStart && this.startedAll;
      if (!leftRunning) await Promise.all(this.members.map((member) => member.secrets?.delete()));
      unsubscribe();
      for (const member of this.members) member.reporter.stop();
      this.options.reporter.stop();
    }
  }

  private interrupted(): void {
    if (this.stage === 'prepare') this.cancelUpload.abort();
    else if (this.stage === 'starting') this.stopAfterStart = true;
    else if (this.stage === 'following') this.stopAll();
    else if (this.stage === 'stopping') this.detach.abort();
  }

  /** Session, pack, the unchanged lookups, upload: everything before a build exists. */
  private async prepare(): Promise<{ session: RemoteSession; sourceKey?: string; indexDigest?: string }> {
    const { options } = this;
    const signal = this.cancelUpload.signal;
    let session: RemoteSession | undefined;
    try {
      session = await abortable(options.openSession(), signal);
      signal.throwIfAborted();
      const { infra } = session;
      this.indexUri = ecrRepositoryUri(infra.account, infra.region, infra.repository);
      let start = this.clock.now();
      const archive = await options.steps.pack({
        projectDir: options.projectDir,
        description: options.description,
        signal,
      });
      this.timings.pack = this.secondsSince(start);
      options.reporter.note(
        `packed ${archive.files.length} files (${formatBytes(archive.size)}) in ${formatDuration(this.timings.pack)}; one archive for ${this.architectures.join(' and ')}`,
      );
      try {
        const key = (arch: string) =>
          inputTag(inputKey({ archiveSha256: archive.sha256, arch, buildArgs: options.buildArgs }));
        this.indexInputTag = key(this.architectures.join('+'));
        this.indexTags = this.requestedTags();
        const width = Math.max(...this.architectures.map((arch) => arch.length));
        this.members = this.architectures.map((arch) => ({
          arch,
          session: {
            ...session!,
            infra: infrastructureNames(options.description.config.remote, infra.account, infra.region, arch),
          },
          inputTag: key(arch),
          reporter: new BuildReporter(prefixedTerminal(options.terminal, arch.padEnd(width))),
        }));
        if (!options.force) {
          const indexDigest = await this.reuseUnchanged(session);
          if (indexDigest) return { session, indexDigest };
        }
        if (this.members.every((member) => member.reused)) return { session };
        start = this.clock.now();
        const uploaded = await options.steps.upload({
          s3: session.clients.s3,
          bucket: infra.bucket,
          archive,
          signal,
        });
        this.timings.upload = this.secondsSince(start);
        signal.throwIfAborted();
        return { session, sourceKey: uploaded.key };
      } finally {
        await options.steps.discard(archive);
      }
    } catch (error) {
      if (signal.aborted) throw uploadAborted();
      throw session ? sessionError(session, error) : error;
    }
  }

  /** The tags the index gets, formatted once here so that every architecture's build agrees. */
  private requestedTags(): string[] {
    const { description } = this.options;
    return formatTags(description.config.docker.tag, {
      friendlyTag: description.name,
      timestamp: new Date(this.clock.now()),
      gitSha: description.git?.sha,
      gitBranch: description.git?.branch,
      gitDirty: description.git?.dirty,
    });
  }

  /**
   * The skip of unchanged builds, for the index and per architecture: the index built from this
   * input is tagged as requested (returns its digest); otherwise each architecture whose image
   * exists is tagged with its member tags and not built again.
   */
  private async reuseUnchanged(session: RemoteSession): Promise<string | undefined> {
    const { ecr } = session.clients;
    const { repository } = session.infra;
    const index = await findBuiltImage(ecr, repository, this.indexInputTag);
    if (index.kind === 'unavailable') {
      this.options.reporter.note(
        `warning: could not look for an unchanged image (${index.reason}); building`,
      );
      return undefined;
    }
    if (index.kind === 'found') {
      await tagBuiltImage(ecr, repository, index, this.indexTags);
      this.options.reporter.note(
        `unchanged: ${repository}:${this.indexInputTag} is an image index built from the same input (archive, architectures, build args); use --force to rebuild`,
      );
      return index.digest;
    }
    for (const member of this.members) {
      const found = await findBuiltImage(ecr, repository, member.inputTag);
      if (found.kind !== 'found') continue;
      await tagBuiltImage(
        ecr,
        repository,
        found,
        this.indexTags.map((tag) => memberTag(tag, member.arch)),
      );
      member.reused = { digest: found.digest };
      member.reporter.note(
        `unchanged: ${repository}:${member.inputTag} was built from the same input; no build`,
      );
    }
    return undefined;
  }

  private indexMembers(): IndexMember[] {
    return this.members.map(({ arch, inputTag }) => ({ arch, inputTag }));
  }

  /** Starts every pending build at once; if one cannot start, the others are stopped. */
  private async startAll(pending: Member[], sourceKey: string): Promise<void> {
    const { options } = this;
    const shared = {
      [MULTI_ARCH_VARIABLES.indexTags]: this.indexTags.join(','),
      [MULTI_ARCH_VARIABLES.members]: encodeMembers(this.indexMembers()),
      [MULTI_ARCH_VARIABLES.indexInputTag]: this.indexInputTag,
    };
    const started = await Promise.allSettled(
      pending.map(async (member) => {
        const { infra, clients } = member.session;
        member.secrets = new BuildSecrets(member.session, member.reporter);
        const secrets = await member.secrets.store(options.secrets ?? {}, options.timeoutMinutes);
        member.build = await startBuild(clients.codebuild, {
          infra,
          sourceKey,
          inputTag: member.inputTag,
          projectName: options.description.name,
          buildArgs: options.buildArgs,
          ...(secrets ? { secrets } : {}),
          debug: Boolean(options.debug),
          kilnVariables: { ...shared, [MULTI_ARCH_VARIABLES.arch]: member.arch },
          ...(options.description.config.remote.repository
            ? { repositoryUri: ecrRepositoryUri(infra.account, infra.region, infra.repository) }
            : {}),
          ...(options.computeType ? { computeType: options.computeType } : {}),
          ...(options.timeoutMinutes ? { timeoutMinutes: options.timeoutMinutes } : {}),
        });
        member.url = consoleUrl(infra.region, infra.account, infra.project, member.build.id!);
        member.reporter.started(member.build.id!, member.url);
      }),
    );
    const failure = started.find(
      (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
    );
    if (!failure) {
      this.startedAll = true;
      return;
    }
    const running = pending.filter((member) => member.build);
    await Promise.all(running.map((member) => this.stopOne(member)));
    const failedMember = pending[started.indexOf(failure)]!;
    throw sessionError(failedMember.session, failure.reason);
  }

  /** Follows every build to its end (true: the user detached). */
  private async followAll(pending: Member[]): Promise<boolean> {
    const followed = await Promise.all(
      pending.map(async (member) => {
        try {
          const result = await followBuild({
            codebuild: member.session.clients.codebuild,
            logs: member.session.clients.logs,
            buildId: member.build!.id!,
            clock: this.clock,
            signal: this.detach.signal,
            onEvent: (event) => member.reporter.event(event),
          });
          member.build = result.build;
          return result.detached;
        } catch (error) {
          throw new KilnError(
            `lost track of build ${member.build!.id}: ${messageOf(sessionError(member.session, error))}`,
            `It may still be running. Re-attach with: kiln logs ${member.build!.id} --follow`,
            EXIT_CODES.detached,
          );
        }
      }),
    );
    return followed.some(Boolean);
  }

  private stopAll(): void {
    this.stage = 'stopping';
    const running = this.members.filter((member) => member.build && !member.build.buildComplete);
    this.options.reporter.note(
      `stopping ${running.map((member) => `${member.arch} build ${member.build!.id}`).join(' and ')}; no image index is published (Ctrl-C again to detach)`,
    );
    this.stopping = Promise.all(running.map((member) => this.stopOne(member)));
  }

  private stopOne(member: Member): Promise<void> {
    return stopBuild(member.session.clients.codebuild, member.build!.id!).catch((error) => {
      member.reporter.stopFailed(member.build!.id!, messageOf(sessionError(member.session, error)));
    });
  }

  /** Every build ended: the whole fails with any architecture; else the index is checked. */
  private async concluded(session: RemoteSession, pending: Member[]): Promise<MultiArchResult> {
    for (const member of pending) member.reporter.summary(summarizeBuild(member.build!, this.clock.now()));
    const failed = pending
      .filter((member) => member.build!.buildStatus !== 'SUCCEEDED')
      .map((member) => member.arch);
    if (failed.length > 0) {
      const stoppedByUs = this.stopping !== undefined;
      this.options.reporter.note(
        `${stoppedByUs ? 'stopped' : `failed: ${failed.join(', ')}`}; no image index was published`,
      );
      const exitCode = stoppedByUs
        ? EXIT_CODES.buildStopped
        : failedArchitecturesExitCode(failed, ARCHITECTURES);
      return this.result(null, exitCode, failed);
    }
    const store = ecrManifestStore(session.clients.ecr, session.infra.repository);
    const published = await store.get(this.indexInputTag);
    // The builds publish it; a registry whose tag reads lag behind its writes could let both miss
    // the other, and then it is published from here.
    return this.finish(published?.digest ?? (await this.publishFromHere(session)), 'built');
  }

  private async publishFromHere(session: RemoteSession): Promise<string> {
    const store = ecrManifestStore(session.clients.ecr, session.infra.repository);
    const published = await publishIndexWhenComplete(store, this.indexMembers(), [
      ...this.indexTags,
      this.indexInputTag,
    ]).catch((error: unknown) => {
      throw sessionError(session, error);
    });
    if (published.kind === 'waiting') {
      throw new KilnError(
        `the image index could not be published: no image for ${published.missing.join(', ')} in ${session.infra.repository}`,
        'Build again with --force.',
      );
    }
    return published.digest;
  }

  private finish(indexDigest: string, how: 'index' | 'members' | 'built'): MultiArchResult {
    const { reporter } = this.options;
    if (how !== 'built') reporter.note('no build started');
    for (const member of this.members) {
      const digest =
        member.reused?.digest ?? (member.build && summarizeBuild(member.build, this.clock.now()).digest);
      if (digest) reporter.note(`${member.arch}: ${digest}`);
    }
    reporter.note(`image index ${this.indexUri}:${this.indexTags[0]} (${indexDigest})`);
    if (this.indexTags.length > 1) reporter.note(`tags: ${this.indexTags.join(', ')}`);
    return this.result(indexDigest, EXIT_CODES.success, [], how === 'index');
  }

  private result(
    indexDigest: string | null,
    exitCode: number,
    failed: Architecture[] = [],
    skipped = false,
  ): MultiArchResult {
    const status =
      exitCode === EXIT_CODES.success
        ? indexDigest
          ? 'SUCCEEDED'
          : 'IN_PROGRESS'
        : exitCode === EXIT_CODES.detached
          ? 'IN_PROGRESS'
          : exitCode === EXIT_CODES.buildStopped
            ? 'STOPPED'
            : 'FAILED';
    const architectures: MultiArchDocument['architectures'] = {};
    for (const member of this.members) architectures[member.arch] = this.memberDocument(member, skipped);
    const uri = `${this.indexUri}:${this.indexTags[0]}`;
    return {
      exitCode,
      document: {
        status,
        imageUri: indexDigest ? uri : null,
        digest: indexDigest,
        buildId: null,
        index: { uri, digest: indexDigest, tags: this.indexTags },
        architectures,
        failedArchitectures: failed,
        timings: { ...this.timings, total: this.secondsSince(this.begin) },
        skipped,
        skipReason: skipped
          ? `unchanged: the image index ${this.indexInputTag} was built from the same input`
          : null,
      },
    };
  }

  private memberDocument(member: Member, indexReused: boolean): ArchitectureDocument {
    const uri = `${this.indexUri}:${memberTag(this.indexTags[0]!, member.arch)}`;
    if (!member.build) {
      return {
        buildId: null,
        status: indexReused || member.reused ? 'SUCCEEDED' : 'NOT_STARTED',
        imageUri: member.reused ? uri : null,
        digest: member.reused?.digest ?? null,
        duration: null,
        failedPhase: null,
        logsUrl: null,
        consoleUrl: null,
        skipped: Boolean(member.reused) || indexReused,
      };
    }
    const outcome = summarizeBuild(member.build, this.clock.now());
    return {
      buildId: member.build.id!,
      status: outcome.status,
      imageUri: outcome.imageUri ?? null,
      digest: outcome.digest ?? null,
      duration: outcome.durationSeconds ?? null,
      failedPhase: outcome.failedPhase ?? null,
      logsUrl: member.build.logs?.deepLink ?? null,
      consoleUrl: member.url ?? null,
      skipped: false,
    };
  }

  private secondsSince(from: number): number {
    return Math.round(this.clock.now() - from) / 1000;
  }
}
