// The CodeBuild calls kiln makes: start a build from an uploaded archive, stop it, find this
// project's builds, and the console link for one.
import {
  BatchGetBuildsCommand,
  type Build,
  type CodeBuildClient,
  type ComputeType,
  type EnvironmentVariable,
  ListBuildsForProjectCommand,
  StartBuildCommand,
  StopBuildCommand,
} from '@aws-sdk/client-codebuild';
import { ARCHITECTURES } from '../../contract/config-schema';
import { BUILD_ARG_NAMES_VARIABLE } from '../../contract/description';
import type { KilnVariableName } from '../../contract/environment';
import { PROJECT_ENVIRONMENT, projectName, STACK_NAME } from '../../contract/infra-names';
import { errorName } from './error-name';
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
  /** Set when config overrides the repository the CodeBuild project was deployed with. */
  repositoryUri?: string;
  computeType?: string;
  timeoutMinutes?: number;
  /** `--verbose`: the runner prints stack traces (KILN_DEBUG). */
  debug?: boolean;
}

function buildEnvironment(request: StartBuildRequest): EnvironmentVariable[] {
  const variable = (name: string, value: string): EnvironmentVariable => ({ name, value, type: 'PLAINTEXT' });
  return [
    variable(PROJECT_NAME_VARIABLE, request.projectName),
    variable(BUILD_ARG_NAMES_VARIABLE, Object.keys(request.buildArgs).join(',')),
    ...(request.repositoryUri ? [variable(PROJECT_ENVIRONMENT.repositoryUri, request.repositoryUri)] : []),
    ...(request.debug ? [variable('KILN_DEBUG', '1')] : []),
    ...Object.entries(request.buildArgs).map(([name, value]) => variable(name, value)),
  ];
}

export async function startBuild(
  codebuild: Pick<CodeBuildClient, 'send'>,
  request: StartBuildRequest,
): Promise<Build> {
  const response = await codebuild.send(
    new StartBuildCommand({
      projectName: request.infra.project,
      sourceTypeOverride: 'S3',
      sourceLocationOverride: `${request.infra.bucket}/${request.sourceKey}`,
      environmentVariablesOverride: buildEnvironment(request),
      // CodeBuild validates the compute type (InvalidInputException names the valid ones).
      ...(request.computeType ? { computeTypeOverride: request.computeType as ComputeType } : {}),
      ...(request.timeoutMinutes ? { timeoutInMinutesOverride: request.timeoutMinutes } : {}),
    }),
  );
  if (!response.build?.id) throw new Error('CodeBuild StartBuild returned no build id');
  return response.build;
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
 * The newest builds of one kiln project (by its KILN_PROJECT_NAME), newest first, across the
 * CodeBuild projects given; projects that do not exist (an architecture never deployed) are skipped.
 * Returns undefined when none of the projects exists.
 */
export async function findProjectBuilds(
  codebuild: Pick<CodeBuildClient, 'send'>,
  codebuildProjects: string[],
  kilnProject: string,
  limit: number,
): Promise<Build[] | undefined> {
  const found: Build[] = [];
  let anyProject = false;
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
        if (errorName(error) === 'ResourceNotFoundException') break;
        throw error;
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
  if (!anyProject) return undefined;
  return found.sort((a, b) => (b.startTime?.getTime() ?? 0) - (a.startTime?.getTime() ?? 0)).slice(0, limit);
}

function variableOf(build: Build, name: string): string | undefined {
  return build.environment?.environmentVariables?.find((variable) => variable.name === name)?.value;
}

export function consoleUrl(region: string, account: string, project: string, buildId: string): string {
  return (
    `https://${region}.console.aws.amazon.com/codesuite/codebuild/${account}/projects/${project}` +
    `/build/${encodeURIComponent(buildId)}/?region=${region}`
  );
}
