// The deploy-infra naming convention, shared by the CDK stack and the CLI, so that the CLI finds
// everything from the caller's account and region alone. Config `remote.*` / CDK context override it.
import type { Architecture } from './config-schema';
import type { KilnVariableName } from './environment';

export const STACK_NAME = 'kiln';
export const DEFAULT_REPOSITORY = 'kiln';
export const DEFAULT_LOG_GROUP = '/kiln/builds';

export function sourceBucketName(account: string, region: string): string {
  return `kiln-source-${account}-${region}`;
}

/** One CodeBuild project per architecture: `kiln` (x86_64) and `kiln-arm64`. */
export function projectName(arch: Architecture, base = 'kiln'): string {
  return arch === 'x86_64' ? base : `${base}-${arch}`;
}

/** Key prefix of uploaded source archives: the build role may read only below it. */
export const SOURCE_PREFIX = 'sources/';

/** Content-addressed key of a source archive in the source bucket. */
export function sourceArchiveKey(sha256: string): string {
  return `${SOURCE_PREFIX}${sha256}.zip`;
}

/** `<account>.dkr.ecr.<region>.<domain>/<repository>`; China regions use the `amazonaws.com.cn` domain. */
export function ecrRepositoryUri(account: string, region: string, repository: string): string {
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${domain}/${repository}`;
}

/** Environment variables every kiln CodeBuild project sets for the build side (runner). */
export const PROJECT_ENVIRONMENT = {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>` of the stack's ECR repository. */
  repositoryUri: 'KILN_REPOSITORY_URI',
  /** Region of the stack (and of the repository). */
  region: 'KILN_REGION',
  /** `<account>.dkr.ecr.<region>.amazonaws.com/kiln-ecr-public`: base images through the pull-through cache. */
  baseImageMirror: 'KILN_BASE_IMAGE_MIRROR',
  /** `<account>.dkr.ecr.<region>.amazonaws.com/kiln-docker-hub`: only with kiln:dockerHubCredentialArn. */
  dockerHubMirror: 'KILN_DOCKER_HUB_MIRROR',
} as const satisfies Record<string, KilnVariableName>;

/**
 * ECR repository prefix of the stack's pull-through cache of ECR Public (`public.ecr.aws`): an image
 * `public.ecr.aws/<path>` is pulled as `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<path>`,
 * e.g. Docker official images as `<prefix>/docker/library/node:20`.
 */
export const PULL_THROUGH_PREFIX = 'kiln-ecr-public';

/**
 * ECR repository prefix of the optional pull-through cache of Docker Hub (kiln:dockerHubCredentialArn),
 * for images ECR Public has no copy of: `oven/bun:1` is pulled as `<registry>/<prefix>/oven/bun:1`.
 */
export const DOCKER_HUB_PULL_THROUGH_PREFIX = 'kiln-docker-hub';

/**
 * SSM Parameter Store path under which `kiln build --secret` stores a build's secrets, one
 * SecureString per name: `/kiln/secrets/<uuid>/<NAME>`. The user policy writes and deletes there, the
 * build role reads and deletes there, nothing else.
 */
export const SECRET_PARAMETER_ROOT = '/kiln/secrets/';

/**
 * Compute types with no CodeBuild local cache (its "Local caching" guide): the stack gives their
 * projects none, and a build run on one with `--compute` is started without it.
 */
export const NO_LOCAL_CACHE_COMPUTE_TYPES: readonly string[] = ['BUILD_GENERAL1_2XLARGE'];
