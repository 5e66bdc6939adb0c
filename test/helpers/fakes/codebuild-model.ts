// In-memory CodeBuild that runs builds through CodeBuild's phases on timers: phases appended as they
// start, statuses filled in as they end, the log stream named (in BatchGetBuilds) and created only
// after PROVISIONING, StopBuild honoured, exported variables on success. The loopback server exposes
// it over HTTP.
import { randomUUID } from 'node:crypto';
import type { Build, BuildPhase, EnvironmentVariable, StatusType } from '@aws-sdk/client-codebuild';
import { recordAwsCall } from '../iam/recorded-calls';
import { FakeAwsError } from './fake-aws-error';
import type { FakeLogStore } from './log-store';

export const PHASES = [
  'SUBMITTED',
  'QUEUED',
  'PROVISIONING',
  'DOWNLOAD_SOURCE',
  'INSTALL',
  'PRE_BUILD',
  'BUILD',
  'POST_BUILD',
  'UPLOAD_ARTIFACTS',
  'FINALIZING',
] as const;
export type Phase = (typeof PHASES)[number];

export interface BuildScript {
  /** How long each phase lasts. */
  phaseMs?: number;
  /** Phases that last otherwise (a PROVISIONING of seconds, as on CodeBuild). */
  phaseMsOf?: Partial<Record<Phase, number>>;
  /** Lines the BUILD phase writes to the log. */
  lines?: string[];
  /** Fail this phase with `status` and `message` (then FINALIZING, like CodeBuild). */
  failure?: { phase: Phase; status: 'FAILED' | 'FAULT' | 'TIMED_OUT'; message: string };
  /** Keep the BUILD phase running this long unless stopped: time for a test to press Ctrl-C. */
  holdBuildMs?: number;
  /** Exported variables of a successful build. */
  exported?: Record<string, string>;
}

/** The phases CodeBuild's agent writes to the log (the machine runs them), as it writes them. */
function logsPhase(phase: Phase): boolean {
  return PHASES.indexOf(phase) > PHASES.indexOf('PROVISIONING') && phase !== 'FINALIZING';
}

/** The log stream CodeBuild writes a build's log to: the build id's UUID. */
export function streamOf(build: Build): string {
  return build.id!.split(':')[1]!;
}

/** The agent's timestamp: `2026/11/23 07:56:56.503000`. */
function agentTime(): string {
  const iso = new Date().toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '/')} ${iso.slice(11, 23)}000`;
}

interface Call {
  operation: string;
  input: Record<string, unknown>;
}

export class FakeCodeBuild {
  readonly calls: Call[] = [];
  readonly projects = new Set(['kiln', 'kiln-arm64']);
  readonly builds = new Map<string, Build>();
  /** Operations answered with AccessDeniedException. */
  readonly denied = new Set<string>();
  script: BuildScript = {};
  /** Per CodeBuild project (e.g. `kiln-arm64`), instead of `script`: architectures that differ. */
  readonly projectScripts = new Map<string, BuildScript>();
  /** StopBuild is accepted but the build keeps running: a stop that takes its time. */
  slowStop = false;
  /** Operations processed, then answered with a 500 once each: a reply lost on the way back. */
  readonly loseReplies = new Set<string>();
  /** StartBuild idempotency tokens seen, like CodeBuild's: a repeated token gets the same build. */
  private readonly startedByToken = new Map<string, Build>();
  private readonly stopRequests = new Set<string>();
  private readonly finishWaiters = new Map<string, (() => void)[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly logs: FakeLogStore,
    readonly logGroup = '/kiln/builds',
  ) {}

  handle(operation: string, input: Record<string, unknown>): unknown {
    this.calls.push({ operation, input });
    recordAwsCall('cli', 'codebuild', operation, input);
    if (this.denied.has(operation)) {
      throw new FakeAwsError(
        'AccessDeniedException',
        `User: arn:aws:iam::123456789012:user/dev is not authorized to perform: codebuild:${operation}`,
      );
    }
    const output = this.answer(operation, input);
    if (this.loseReplies.delete(operation)) {
      throw new FakeAwsError('InternalFailure', `${operation} done, but the reply was lost`, 500);
    }
    return output;
  }

  private answer(operation: string, input: Record<string, unknown>): unknown {
    switch (operation) {
      case 'StartBuild': {
        const token = input.idempotencyToken as string | undefined;
        const build = (token && this.startedByToken.get(token)) || this.startBuild(input);
        if (token) this.startedByToken.set(token, build);
        return { build };
      }
      case 'BatchGetBuilds': {
        const ids = (input.ids as string[]) ?? [];
        return {
          builds: ids.flatMap((id) => (this.builds.has(id) ? [this.builds.get(id)!] : [])),
          buildsNotFound: ids.filter((id) => !this.builds.has(id)),
        };
      }
      case 'StopBuild': {
        const build = this.builds.get(input.id as string);
        if (!build) throw new FakeAwsError('ResourceNotFoundException', `Build ${input.id} not found`);
        if (!this.slowStop) this.stopRequests.add(build.id!);
        return { build };
      }
      case 'BatchGetProjects': {
        const names = (input.names as string[]) ?? [];
        return {
          projects: names
            .filter((name) => this.projects.has(name))
            .map((name) => ({
              name,
              environment: {
                type: name.endsWith('-arm64') ? 'ARM_CONTAINER' : 'LINUX_CONTAINER',
                computeType: 'BUILD_GENERAL1_MEDIUM',
              },
              // What CodeBuild reports for a project that sets none (kiln's stack sets none).
              timeoutInMinutes: 60,
              queuedTimeoutInMinutes: 480,
            })),
          projectsNotFound: names.filter((name) => !this.projects.has(name)),
        };
      }
      case 'ListBuildsForProject': {
        const project = input.projectName as string;
        if (!this.projects.has(project)) {
          throw new FakeAwsError('ResourceNotFoundException', `Project cannot be found: ${project}`);
        }
        const ids = [...this.builds.values()]
          .filter((build) => build.projectName === project)
          .sort((a, b) => b.startTime!.getTime() - a.startTime!.getTime())
          .map((build) => build.id!);
        return { ids };
      }
      default:
        throw new FakeAwsError('UnknownOperationException', `fake CodeBuild does not implement ${operation}`);
    }
  }

  /**
   * Starts a build the way `kiln build` does (KILN_PROJECT_NAME set, and any further `variables`),
   * without the CLI: for tests and benchmarks that watch builds (`kiln logs --follow`). Its log stream
   * is `streamOf(build)`, named in `build.logs` once PROVISIONING is done.
   */
  start(
    kilnProject: string,
    script: BuildScript = {},
    codebuildProject = 'kiln',
    variables: EnvironmentVariable[] = [],
  ): Build {
    const previous = this.script;
    this.script = script;
    try {
      const { build } = this.handle('StartBuild', {
        projectName: codebuildProject,
        environmentVariablesOverride: [
          { name: 'KILN_PROJECT_NAME', value: kilnProject, type: 'PLAINTEXT' },
          ...variables,
        ],
      }) as { build: Build };
      return build;
    } finally {
      this.script = previous;
    }
  }

  /** Resolves when the build has finished. */
  finished(buildId: string): Promise<void> {
    if (this.builds.get(buildId)?.buildComplete) return Promise.resolve();
    return new Promise((resolve) => {
      this.finishWaiters.set(buildId, [...(this.finishWaiters.get(buildId) ?? []), resolve]);
    });
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private startBuild(input: Record<string, unknown>): Build {
    const project = input.projectName as string;
    if (!this.projects.has(project)) {
      throw new FakeAwsError(
        'ResourceNotFoundException',
        `Project cannot be found: arn:aws:codebuild:::project/${project}`,
      );
    }
    const uuid = randomUUID();
    const build: Build = {
      id: `${project}:${uuid}`,
      projectName: project,
      buildNumber: this.builds.size + 1,
      buildStatus: 'IN_PROGRESS',
      buildComplete: false,
      startTime: new Date(),
      currentPhase: 'SUBMITTED',
      phases: [],
      source: { type: 'S3', location: input.sourceLocationOverride as string },
      environment: {
        type: 'LINUX_CONTAINER',
        image: 'aws/codebuild/standard:7.0',
        computeType: (input.computeTypeOverride as 'BUILD_GENERAL1_SMALL') ?? 'BUILD_GENERAL1_SMALL',
        environmentVariables: (input.environmentVariablesOverride as EnvironmentVariable[]) ?? [],
      },
      // Like CodeBuild: no group or stream until the build machine is up.
      logs: { deepLink: `https://console.example/logs/${uuid}` },
    };
    this.builds.set(build.id!, build);
    this.recordServiceCalls(build);
    void this.run(build, { ...(this.projectScripts.get(project) ?? this.script) });
    return build;
  }

  private async run(build: Build, script: BuildScript): Promise<void> {
    const phaseMs = script.phaseMs ?? 30;
    let outcome: StatusType = 'SUCCEEDED';
    for (const phase of PHASES) {
      if (outcome !== 'SUCCEEDED' && phase !== 'FINALIZING') continue;
      const record: BuildPhase = { phaseType: phase, startTime: new Date() };
      build.phases!.push(record);
      build.currentPhase = phase;
      if (logsPhase(phase)) {
        const entering = phase === 'DOWNLOAD_SOURCE' ? 'Phase is' : 'Entering phase';
        this.log(build, `[Container] ${agentTime()} ${entering} ${phase}`);
      }
      if (phase === 'BUILD') {
        for (const line of script.lines ?? []) this.log(build, line);
        if (script.holdBuildMs) await this.waitForStop(build, script.holdBuildMs);
      }
      await this.delay(script.phaseMsOf?.[phase] ?? phaseMs);
      let status: StatusType = 'SUCCEEDED';
      if (this.stopRequests.has(build.id!) && outcome === 'SUCCEEDED') status = 'STOPPED';
      else if (script.failure?.phase === phase) status = script.failure.status;
      record.endTime = new Date();
      record.durationInSeconds = Math.round((record.endTime.getTime() - record.startTime!.getTime()) / 1000);
      record.phaseStatus = status;
      const context =
        status === 'SUCCEEDED'
          ? undefined
          : { statusCode: 'COMMAND_EXECUTION_ERROR', message: script.failure?.message ?? 'Build stopped' };
      if (logsPhase(phase)) {
        this.log(build, `[Container] ${agentTime()} Phase complete: ${phase} State: ${status}`);
        this.log(
          build,
          `[Container] ${agentTime()} Phase context status code: ${context?.statusCode ?? ''} Message: ${context?.message ?? ''}`,
        );
      }
      if (context) {
        record.contexts = [context];
        outcome = status;
      }
      // The stream exists, and the build names it, once the build machine is up.
      if (phase === 'PROVISIONING') {
        this.logs.createStream(this.logGroup, streamOf(build));
        Object.assign(build.logs!, { groupName: this.logGroup, streamName: streamOf(build) });
      }
    }
    build.phases!.push({ phaseType: 'COMPLETED', startTime: new Date() });
    build.currentPhase = 'COMPLETED';
    build.buildStatus = outcome;
    build.endTime = new Date();
    if (outcome === 'SUCCEEDED' && script.exported) {
      build.exportedEnvironmentVariables = Object.entries(script.exported).map(([name, value]) => ({
        name,
        value,
      }));
    }
    build.buildComplete = true;
    for (const resolve of this.finishWaiters.get(build.id!) ?? []) resolve();
  }

  /** What CodeBuild itself does as the build role: fetch the S3 source, write the log stream. */
  private recordServiceCalls(build: Build): void {
    const location = build.source?.location;
    if (location) {
      const [bucket, ...key] = location.split('/');
      for (const operation of ['GetBucketAcl', 'GetBucketLocation']) {
        recordAwsCall('build', 's3', operation, { Bucket: bucket });
      }
      recordAwsCall('build', 's3', 'GetObject', { Bucket: bucket, Key: key.join('/') });
    }
    // PARAMETER_STORE variables: CodeBuild reads them (GetParameters) as the build role.
    const parameters = (build.environment?.environmentVariables ?? [])
      .filter((variable) => variable.type === 'PARAMETER_STORE')
      .map((variable) => variable.value!);
    if (parameters.length > 0) recordAwsCall('build', 'ssm', 'GetParameters', { Names: parameters });
    const stream = { logGroupName: this.logGroup, logStreamName: streamOf(build) };
    for (const operation of ['CreateLogStream', 'PutLogEvents'])
      recordAwsCall('build', 'logs', operation, stream);
  }

  private log(build: Build, message: string): void {
    this.logs.append(this.logGroup, streamOf(build), `${message}\n`);
  }

  private async waitForStop(build: Build, maxMs: number): Promise<void> {
    const until = Date.now() + maxMs;
    while (!this.stopRequests.has(build.id!) && Date.now() < until) await this.delay(20);
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}
