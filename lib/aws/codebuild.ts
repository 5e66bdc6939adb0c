// The CodeBuild calls kiln makes: start a build from an uploaded archive, stop it, find this
// project's builds, and the console link for one.
import { randomUUID } from 'node:crypto';
import {
  BatchGetBuildsCommand,
  BatchGetProjectsCommand,
  type Build,
  type CodeBuildClient,
  type ComputeType,
  type EnvironmentVariable,
  ListBuildsForProjectCommand,
  type Project,
  StartBuildCommand,
  type StartBuildCommandOutput,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import { ARCHITECTURES, type Architecture } from '../../contract/architectures';
import {
  BUILD_ARG_NAMES_VARIABLE,
  INPUT_TAG_VARIABLE,
  SECRET_PARAMETERS_VARIABLE,
} from '../../contract/description';
import type { KilnVariableName } from '../../contract/environment';
import { KilnError } from '../../contract/errors';
import {
  NO_LOCAL_CACHE_COMPUTE_TYPES,
  PROJECT_ENVIRONMENT,
  projectName,
  STACK_NAME,
} from '../../contract/infra-names';
import { errorName } from './error-name';
import { infrastructureNotFound } from './errors';
import type { Infrastructure } from './infrastructure';

/** Set on every build kiln starts, so `kiln builds/logs/status/stop` find this project's builds. */
const PROJECT_NAME_VARIABLE = 'KILN_PROJECT_NAME' satisfies KilnVariableName;

export interface StartBuildRequest {
  infra: Infrastructure;
  /** Key of the uploaded source archive in `infra.bucket`. */
  sourceKey: string;
  /** Friendly project name (the build description's `name`). */
  projectName: string;
  /** `--env KEY=VALUE`: each value travels as its own environment variable, never in the archive. */
  buildArgs: Record<string, string>;
  /**
   * `--secret`: each name becomes a PARAMETER_STORE variable naming its SecureString, which CodeBuild
   * resolves into the build's environment; `path` tells the runner what to delete.
   */
  secrets?: { path: string; parameters: Record<string, string> };
  /** The input key's tag (./built-image.ts), pushed beside the requested tags. */
  inputTag?: string;
  /** Set when config overrides the repository the CodeBuild project was deployed with. */
  repositoryUri?: string;
  computeType?: string;
  timeoutMinutes?: number;
  /** `--verbose`: the runner prints stack traces (KILN_DEBUG). */
  debug?: boolean;
  /** Further kiln variables (one architecture of a multi-architecture build: contract/multi-arch.ts). */
  kilnVariables?: Partial<Record<KilnVariableName, string>>;
}

function buildEnvironment(request: StartBuildRequest): EnvironmentVariable[] {
  const variable = (name: string, value: string): EnvironmentVariable => ({ name, value, type: 'PLAINTEXT' });
  return [
    variable(PROJECT_NAME_VARIABLE, request.projectName),
    variable(BUILD_ARG_NAMES_VARIABLE, Object.keys(request.buildArgs).join(',')),
    ...(request.repositoryUri ? [variable(PROJECT_ENVIRONMENT.repositoryUri, request.repositoryUri)] : []),
    ...(request.inputTag ? [variable(INPUT_TAG_VARIABLE, request.inputTag)] : []),
    ...(request.debug ? [variable('KILN_DEBUG', '1')] : []),
    ...Object.entries(request.kilnVariables ?? {}).map(([name, value]) => variable(name, value ?? '')),
    ...Object.entries(request.buildArgs).map(([name, value]) => variable(name, value)),
    ...(request.secrets
      ? [
          variable(SECRET_PARAMETERS_VARIABLE, request.secrets.path),
          ...Object.entries(request.secrets.parameters).map(
            ([name, parameter]): EnvironmentVariable => ({ name, value: parameter, type: 'PARAMETER_STORE' }),
          ),
        ]
      : []),
  ];
}

export async function startBuild(
  codebuild: Pick<CodeBuildClient, 'send'>,
  request: StartBuildRequest,
): Promise<Build> {
  let response: StartBuildCommandOutput;
  try {
    response = await codebuild.send(
      new StartBuildCommand({
        projectName: request.infra.project,
        sourceTypeOverride: 'S3',
        sourceLocationOverride: `${request.infra.bucket}/${request.sourceKey}`,
        environmentVariablesOverride: buildEnvironment(request),
        // One token per invocation: the SDK retries a request whose reply was lost with the same
        // input, and CodeBuild answers a repeated token with the build it already started.
        idempotencyToken: randomUUID(),
        // CodeBuild validates the compute type (InvalidInputException names the valid ones).
        ...(request.computeType ? { computeTypeOverride: request.computeType as ComputeType } : {}),
        // The project's local docker cache does not exist on this compute type: build without it.
        ...(request.computeType && NO_LOCAL_CACHE_COMPUTE_TYPES.includes(request.computeType)
          ? { cacheOverride: { type: 'NO_CACHE' as const } }
          : {}),
        ...(request.timeoutMinutes ? { timeoutInMinutesOverride: request.timeoutMinutes } : {}),
      }),
    );
  } catch (error) {
    throw projectNotDeployed(request.infra, error);
  }
  if (!response.build?.id) throw new Error('CodeBuild StartBuild returned no build id');
  return response.build;
}

/**
 * StartBuild on a missing project: for the default architecture the whole stack is missing (the
 * caller's error mapping says so); another architecture is one the stack was deployed without.
 */
function projectNotDeployed(infra: Infrastructure, error: unknown): unknown {
  if (errorName(error) !== 'ResourceNotFoundException' || infra.architecture === ARCHITECTURES[0])
    return error;
  return architectureNotDeployed(infra);
}

function architectureNotDeployed(infra: Infrastructure): KilnError {
  return new KilnError(
    `the ${infra.architecture} CodeBuild project ${infra.project} is not deployed in account ${infra.account}, region ${infra.region}`,
    `Deploy it with \`npm run deploy-infra -- -c kiln:architectures=${ARCHITECTURES.join(',')}\`, or build for ${ARCHITECTURES[0]}.`,
  );
}

/** The CodeBuild project by name, with its environment; undefined when it does not exist. */
export async function findBuildProject(
  codebuild: Pick<CodeBuildClient, 'send'>,
  name: string,
): Promise<Project | undefined> {
  const answer = await codebuild.send(new BatchGetProjectsCommand({ names: [name] }));
  return answer.projects?.find((project) => project.name === name);
}

/** The environment type a kiln project of each architecture runs on (cdk/build-project.ts). */
export const ENVIRONMENT_TYPES: Record<Architecture, string> = {
  x86_64: 'LINUX_CONTAINER',
  arm64: 'ARM_CONTAINER',
};

/** How long a build of the project may wait in the queue and run (CodeBuild's defaults when unset). */
export interface ProjectTimeouts {
  queuedMinutes: number;
  buildMinutes: number;
}

/** What CodeBuild applies when a project sets no timeout: 8 hours in the queue, 1 hour running. */
const CODEBUILD_DEFAULT_TIMEOUTS: ProjectTimeouts = { queuedMinutes: 480, buildMinutes: 60 };

/**
 * Before anything is uploaded: the build's CodeBuild project exists and builds for the requested
 * architecture. Returns the project's timeouts. A user policy from before kiln called
 * BatchGetProjects answers AccessDenied: the check is then skipped (StartBuild still says what is
 * missing) and the timeouts are unknown.
 */
export async function assertBuildProject(
  codebuild: Pick<CodeBuildClient, 'send'>,
  infra: Infrastructure,
): Promise<ProjectTimeouts | undefined> {
  let project: Project | undefined;
  try {
    project = await findBuildProject(codebuild, infra.project);
  } catch (error) {
    if (errorName(error) === 'AccessDeniedException') return undefined;
    throw error;
  }
  if (!project) {
    throw infra.architecture === ARCHITECTURES[0]
      ? infrastructureNotFound(infra)
      : architectureNotDeployed(infra);
  }
  const type = project.environment?.type;
  if (type && type !== ENVIRONMENT_TYPES[infra.architecture]) {
    throw new KilnError(
      `the CodeBuild project ${infra.project} runs on ${type}, which does not build ${infra.architecture} images`,
      `Deploy kiln's stack again (\`npm run deploy-infra\`), or fix remote.project in the kiln config.`,
    );
  }
  return {
    queuedMinutes: project.queuedTimeoutInMinutes ?? CODEBUILD_DEFAULT_TIMEOUTS.queuedMinutes,
    buildMinutes: project.timeoutInMinutes ?? CODEBUILD_DEFAULT_TIMEOUTS.buildMinutes,
  };
}

export async function stopBuild(codebuild: Pick<CodeBuildClient, 'send'>, buildId: string): Promise<void> {
  await codebuild.send(new StopBuildCommand({ id: buildId }));
}

/** The CodeBuild projects a kiln project may build in: one per architecture. */
export function candidateProjects(remote: { project?: string }): string[] {
  return ARCHITECTURES.map((arch) => projectName(arch, remote.project ?? STACK_NAME));
}

/** Builds per page of ListBuildsForProject / BatchGetBuilds (BatchGetBuilds takes at most 100 ids). */
const PAGE = 100;
/** Pages scanned per CodeBuild project before giving up on finding more of this project's builds. */
const MAX_PAGES = 5;

/**
 * What an architecture's project nobody asked for answers when it was never deployed: not found, or
 * access denied by a user policy from before kiln granted every architecture's project ARN.
 */
const NOT_DEPLOYED = new Set(['ResourceNotFoundException', 'AccessDeniedException']);

/**
 * The newest builds of one kiln project (by its KILN_PROJECT_NAME), newest first, across the
 * CodeBuild projects given; projects that are not deployed (NOT_DEPLOYED) are skipped.
 * Returns undefined when none of the projects exists; rethrows an access denial when no project
 * could be read because of one.
 */
export async function findProjectBuilds(
  codebuild: Pick<CodeBuildClient, 'send'>,
  codebuildProjects: string[],
  kilnProject: string,
  limit: number,
): Promise<Build[] | undefined> {
  const found: Build[] = [];
  let anyProject = false;
  let denied: unknown;
  for (const project of codebuildProjects) {
    let nextToken: string | undefined;
    let matches = 0;
    for (let page = 0; page < MAX_PAGES && matches < limit; page++) {
      let ids: string[];
      try {
        const listed = await codebuild.send(
          new ListBuildsForProjectCommand({ projectName: project, sortOrder: 'DESCENDING', nextToken }),
        );
        ids = listed.ids ?? [];
        nextToken = listed.nextToken;
      } catch (error) {
        if (!NOT_DEPLOYED.has(errorName(error))) throw error;
        if (errorName(error) === 'AccessDeniedException') denied ??= error;
        break;
      }
      anyProject = true;
      for (let start = 0; start < ids.length; start += PAGE) {
        const { builds = [] } = await codebuild.send(
          new BatchGetBuildsCommand({ ids: ids.slice(start, start + PAGE) }),
        );
        const ours = builds.filter((build) => variableOf(build, PROJECT_NAME_VARIABLE) === kilnProject);
        matches += ours.length;
        found.push(...ours);
      }
      if (!nextToken) break;
    }
  }
  if (!anyProject && denied) throw denied;
  if (!anyProject) return undefined;
  return found.sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0)).slice(0, limit);
}

function variableOf(build: Build, name: string): string | undefined {
  return build.environment?.environmentVariables?.find((variable) => variable.name === name)?.value;
}

/**
 * Which of the candidate projects holds the build with this bare UUID, asking each project on its
 * own so that one architecture not deployed does not hide the others.
 */
export async function findBuildByUuid(
  codebuild: Pick<CodeBuildClient, 'send'>,
  codebuildProjects: string[],
  uuid: string,
): Promise<string | undefined> {
  for (const project of codebuildProjects) {
    try {
      const { builds = [] } = await codebuild.send(
        new BatchGetBuildsCommand({ ids: [`${project}:${uuid}`] }),
      );
      if (builds[0]?.id) return builds[0].id;
    } catch (error) {
      if (!NOT_DEPLOYED.has(errorName(error))) throw error;
    }
  }
  return undefined;
}

export function consoleUrl(region: string, account: string, project: string, buildId: string): string {
  return (
    `https://${region}.console.aws.amazon.com/codesuite/codebuild/${account}/projects/${project}` +
    `/build/${encodeURIComponent(buildId)}/?region=${region}`
  );
}
