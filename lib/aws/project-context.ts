// The shared start of `logs`, `status`, `builds` and `stop`: this project's description, an AWS
// session, and which build the user means (the given id, or the project's latest build).
import { BatchGetBuildsCommand, type Build } from '@aws-sdk/client-codebuild';
import type { BuildDescription } from '../../contract/description';
import { KilnError } from '../../contract/errors';
import { describeProject } from '../pack/describe-project';
import { candidateProjects, findProjectBuilds } from './codebuild';
import { infrastructureNotFound } from './errors';
import { openSession, type RemoteSession } from './session';

export interface ProjectContext {
  description: BuildDescription;
  session: RemoteSession;
}

/** The AWS profile and region the user asked for (flags); unset means config, environment, then defaults. */
export interface AwsTarget {
  profile?: string;
  region?: string;
}

export async function openProjectContext(dir: string, flags: AwsTarget): Promise<ProjectContext> {
  const description = await describeProject(dir);
  const session = await openSession({
    remote: description.config.remote,
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
  });
  return { description, session };
}

/** This project's newest builds, newest first. (AWS failures are mapped by the caller's `withContext`.) */
export async function projectBuilds(context: ProjectContext, limit: number): Promise<Build[]> {
  const { session, description } = context;
  const builds = await findProjectBuilds(
    session.clients.codebuild,
    candidateProjects(description.config.remote),
    description.name,
    limit,
  );
  if (!builds) throw infrastructureNotFound(session.infra);
  return builds;
}

/**
 * The build id the user means: as given (a bare UUID gets its CodeBuild project prefixed), or the
 * latest build of this project.
 */
export async function targetBuildId(context: ProjectContext, id: string | undefined): Promise<string> {
  if (id?.includes(':')) return id;
  if (id) return qualifiedBuildId(context, id);
  const [latest] = await projectBuilds(context, 1);
  if (!latest?.id) {
    const { account, region } = context.session.infra;
    throw new KilnError(
      `no builds of ${context.description.name} found in account ${account}, region ${region}`,
      'Start one with `kiln build`.',
    );
  }
  return latest.id;
}

/** A bare build UUID belongs to one of the per-architecture CodeBuild projects: ask CodeBuild which. */
async function qualifiedBuildId(context: ProjectContext, uuid: string): Promise<string> {
  const candidates = candidateProjects(context.description.config.remote).map(
    (project) => `${project}:${uuid}`,
  );
  const { builds = [] } = await context.session.clients.codebuild.send(
    new BatchGetBuildsCommand({ ids: candidates }),
  );
  if (!builds[0]?.id)
    throw new KilnError(`build ${uuid} not found`, 'List recent builds with `kiln builds`.');
  return builds[0].id;
}
