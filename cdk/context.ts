// The stack's knobs: every `kiln:*` CDK context option, parsed and validated in one place so that a
// typo fails synth with the key, what was given and what is accepted (never a CloudFormation error
// minutes into a deploy). Values arrive as strings from `-c key=value` and as JSON values from cdk.json.
import { ComputeType, DockerServerComputeType, FleetOverflowBehavior } from 'aws-cdk-lib/aws-codebuild';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { closest } from 'fastest-levenshtein';
import { ARCHITECTURES, type Architecture } from '../contract/config-schema';
import { KilnError } from '../contract/errors';
import { DEFAULT_LOG_GROUP, DEFAULT_REPOSITORY } from '../contract/infra-names';

export interface KilnContext {
  /** Override of the source bucket name; undefined = `kiln-source-<account>-<region>`. */
  bucketName?: string;
  /** Base project name: `<base>` builds x86_64, `<base>-arm64` builds arm64. */
  projectName: string;
  repositoryName: string;
  logGroupName: string;
  sourceRetentionDays: number;
  logRetentionDays: RetentionDays;
  retainSourceBucket: boolean;
  architectures: Architecture[];
  computeType: ComputeType;
  timeoutMinutes: number;
  /** Opt-in count limit on tagged images (undefined: tagged images never expire). */
  maxImages: number | undefined;
  untaggedImageDays: number;
  /** Reserved-capacity machines per architecture (a CodeBuild fleet of kiln:computeType); 0 = on demand. */
  fleetCapacity: number;
  /** What a build does when every fleet machine is busy. */
  fleetOverflow: FleetOverflowBehavior;
  /** Compute type of the CodeBuild Docker server; undefined = the build host runs docker itself. */
  dockerServer?: DockerServerComputeType;
  /** The VPC the projects and the Docker server run in (the Docker server needs one). */
  dockerServerVpcId?: string;
  /** Private subnets of that VPC with a route to ECR, S3 and CloudWatch Logs (NAT or endpoints). */
  dockerServerSubnetIds?: string[];
  /**
   * Secrets Manager secret (`ecr-pullthroughcache/…`) with a Docker Hub user and access token: the
   * stack adds a Docker Hub pull-through cache for images ECR Public has no copy of.
   */
  dockerHubCredentialArn?: string;
}

export const DEFAULT_CONTEXT: KilnContext = {
  projectName: 'kiln',
  repositoryName: DEFAULT_REPOSITORY,
  logGroupName: DEFAULT_LOG_GROUP,
  sourceRetentionDays: 30,
  logRetentionDays: RetentionDays.ONE_MONTH,
  retainSourceBucket: true,
  architectures: ['x86_64'],
  // Docker builds of framework apps (asset compilation, native gems) run out of memory on SMALL (3 GB).
  computeType: ComputeType.MEDIUM,
  timeoutMinutes: 60,
  maxImages: undefined,
  untaggedImageDays: 7,
  fleetCapacity: 0,
  // A build that finds every reserved machine busy starts on demand rather than waiting in a queue.
  fleetOverflow: FleetOverflowBehavior.ON_DEMAND,
};

/** The context keys, as users type them. */
const CONTEXT_KEYS = {
  bucketName: 'kiln:bucketName',
  projectName: 'kiln:projectName',
  repositoryName: 'kiln:repositoryName',
  logGroupName: 'kiln:logGroupName',
  sourceRetentionDays: 'kiln:sourceRetentionDays',
  logRetentionDays: 'kiln:logRetentionDays',
  retainSourceBucket: 'kiln:retainSourceBucket',
  architectures: 'kiln:architectures',
  computeType: 'kiln:computeType',
  timeoutMinutes: 'kiln:timeoutMinutes',
  maxImages: 'kiln:maxImages',
  untaggedImageDays: 'kiln:untaggedImageDays',
  fleetCapacity: 'kiln:fleetCapacity',
  fleetOverflow: 'kiln:fleetOverflow',
  dockerServer: 'kiln:dockerServer',
  dockerServerVpcId: 'kiln:dockerServerVpcId',
  dockerServerSubnetIds: 'kiln:dockerServerSubnetIds',
  dockerHubCredentialArn: 'kiln:dockerHubCredentialArn',
} as const satisfies Record<keyof KilnContext, string>;

/** Compute types that run privileged docker builds (Lambda compute cannot). */
const BUILD_COMPUTE_TYPES = [
  ComputeType.SMALL,
  ComputeType.MEDIUM,
  ComputeType.LARGE,
  ComputeType.X_LARGE,
  ComputeType.X2_LARGE,
] as const;

/** Docker server sizes (the API also lists Lambda and custom types, which run no Docker server for kiln). */
const DOCKER_SERVER_COMPUTE_TYPES = [
  DockerServerComputeType.SMALL,
  DockerServerComputeType.MEDIUM,
  DockerServerComputeType.LARGE,
  DockerServerComputeType.X_LARGE,
  DockerServerComputeType.X2_LARGE,
] as const;

/** CloudWatch Logs accepts only these retention periods. */
const LOG_RETENTION_DAYS = Object.values(RetentionDays).filter(
  (days): days is RetentionDays => typeof days === 'number' && days !== RetentionDays.INFINITE,
);

// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const BUCKET_NAME = /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/;
// CodeBuild project names; `-arm64` is appended for the ARM project, so leave room for it.
const PROJECT_NAME = /^(?=.{2,249}$)[A-Za-z0-9][A-Za-z0-9_-]*$/;
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
const LOG_GROUP_NAME = /^[\w\-/.#]{1,512}$/;
const VPC_ID = /^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
// https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
// (credentialArn): ECR reads only secrets named ecr-pullthroughcache/… in the rule's account and region.
const PULL_THROUGH_SECRET_ARN =
  /^arn:aws(?:-[a-z]+)*:secretsmanager:[a-z0-9-]+:\d{12}:secret:ecr-pullthroughcache\/[A-Za-z0-9/_+=.@-]+$/;

function invalid(key: string, value: unknown, accepted: string): KilnError {
  return new KilnError(
    `Invalid CDK context ${key}=${JSON.stringify(value)}: expected ${accepted}.`,
    `Fix or remove -c ${key}=... (or the "${key}" entry in cdk.json); see docs/infrastructure.md.`,
  );
}

function integer(key: string, value: unknown, min: number, max: number): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    throw invalid(key, value, `a whole number from ${min} to ${max}`);
  }
  return number;
}

function oneOf<T extends string | number>(key: string, value: unknown, accepted: readonly T[]): T {
  const match = accepted.find((candidate) => String(candidate) === String(value).trim());
  if (match === undefined) throw invalid(key, value, `one of ${accepted.join(', ')}`);
  return match;
}

function boolean(key: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw invalid(key, value, 'true or false');
}

function name(key: string, value: unknown, pattern: RegExp, rule: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw invalid(key, value, rule);
  return value;
}

function architectures(key: string, value: unknown): Architecture[] {
  const accepted = `a comma-separated list of ${ARCHITECTURES.join(', ')} (e.g. "x86_64,arm64")`;
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const parsed = items.map((item) => String(item).trim()).filter((item) => item !== '');
  if (parsed.length === 0 || parsed.some((item) => !(ARCHITECTURES as readonly string[]).includes(item))) {
    throw invalid(key, value, accepted);
  }
  // Stable order and no duplicates, whatever order the user wrote.
  return ARCHITECTURES.filter((arch) => parsed.includes(arch));
}

function subnetIds(key: string, value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const parsed = items.map((item) => String(item).trim()).filter((item) => item !== '');
  if (parsed.length === 0 || parsed.some((item) => !SUBNET_ID.test(item))) {
    throw invalid(
      key,
      value,
      'a comma-separated list of subnet ids (e.g. "subnet-0abc1234,subnet-0def5678")',
    );
  }
  return [...new Set(parsed)];
}

/** The options that only make sense together: refused at synth, not minutes into a deploy. */
function checkCombinations(context: KilnContext): KilnContext {
  const { dockerServer, dockerServerVpcId, dockerServerSubnetIds, fleetCapacity } = context;
  const vpcGiven = dockerServerVpcId !== undefined || dockerServerSubnetIds !== undefined;
  if (dockerServer === undefined && vpcGiven) {
    throw new KilnError(
      `${CONTEXT_KEYS.dockerServerVpcId} and ${CONTEXT_KEYS.dockerServerSubnetIds} are used only with ${CONTEXT_KEYS.dockerServer}.`,
      `Add -c ${CONTEXT_KEYS.dockerServer}=BUILD_GENERAL1_MEDIUM (or remove the VPC options); see docs/infrastructure.md.`,
    );
  }
  if (
    dockerServer !== undefined &&
    (dockerServerVpcId === undefined || dockerServerSubnetIds === undefined)
  ) {
    throw new KilnError(
      `${CONTEXT_KEYS.dockerServer} needs a VPC: CodeBuild reaches the Docker server inside one.`,
      `Add -c ${CONTEXT_KEYS.dockerServerVpcId}=vpc-... -c ${CONTEXT_KEYS.dockerServerSubnetIds}=subnet-...,subnet-... (private subnets with a route to ECR, S3 and CloudWatch Logs); see docs/infrastructure.md.`,
    );
  }
  if (dockerServer !== undefined && fleetCapacity > 0) {
    throw new KilnError(
      `${CONTEXT_KEYS.dockerServer} and ${CONTEXT_KEYS.fleetCapacity} cannot be combined: a fleet's builds run in the fleet's network, not the project's VPC where the Docker server is.`,
      `Choose one: ${CONTEXT_KEYS.fleetCapacity} for builds that start at once, ${CONTEXT_KEYS.dockerServer} for a build cache that stays warm; see docs/infrastructure.md.`,
    );
  }
  return context;
}

/** A misspelt option would otherwise be ignored without a word and deploy the default. */
function rejectUnknownKeys(keys: Iterable<string>): void {
  const known: string[] = Object.values(CONTEXT_KEYS);
  for (const key of keys) {
    if (key.startsWith('kiln:') && !known.includes(key)) {
      throw new KilnError(
        `Unknown CDK context option ${key}: did you mean ${closest(key, known)}?`,
        `The kiln options are ${known.join(', ')}; see docs/infrastructure.md.`,
      );
    }
  }
}

/**
 * Reads the `kiln:*` options through `get` (a node's tryGetContext), applying defaults.
 * Throws a KilnError naming the key and the accepted values for anything invalid, and for a
 * `kiln:` key among `presentKeys` (all the context keys set) that is not an option.
 */
export function parseContext(get: (key: string) => unknown, presentKeys: Iterable<string> = []): KilnContext {
  rejectUnknownKeys(presentKeys);
  const read = <K extends keyof KilnContext>(
    field: K,
    parse: (key: string, value: unknown) => KilnContext[K],
  ): KilnContext[K] => {
    const key = CONTEXT_KEYS[field];
    const value = get(key);
    return value === undefined ? DEFAULT_CONTEXT[field] : parse(key, value);
  };
  return checkCombinations({
    bucketName: read('bucketName', (key, value) =>
      name(key, value, BUCKET_NAME, 'an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)'),
    ),
    projectName: read('projectName', (key, value) =>
      name(key, value, PROJECT_NAME, 'a CodeBuild project name (letters, digits, - and _)'),
    ),
    repositoryName: read('repositoryName', (key, value) =>
      name(key, value, REPOSITORY_NAME, 'an ECR repository name (lowercase, e.g. "kiln" or "team/kiln")'),
    ),
    logGroupName: read('logGroupName', (key, value) =>
      name(key, value, LOG_GROUP_NAME, 'a log group name (letters, digits, _ - / . #)'),
    ),
    sourceRetentionDays: read('sourceRetentionDays', (key, value) => integer(key, value, 1, 3650)),
    logRetentionDays: read('logRetentionDays', (key, value) => oneOf(key, value, LOG_RETENTION_DAYS)),
    retainSourceBucket: read('retainSourceBucket', boolean),
    architectures: read('architectures', architectures),
    computeType: read('computeType', (key, value) => oneOf(key, value, BUILD_COMPUTE_TYPES)),
    // CodeBuild's own limits for a build timeout.
    timeoutMinutes: read('timeoutMinutes', (key, value) => integer(key, value, 5, 2160)),
    maxImages: read('maxImages', (key, value) => integer(key, value, 1, 10000)),
    untaggedImageDays: read('untaggedImageDays', (key, value) => integer(key, value, 1, 3650)),
    fleetCapacity: read('fleetCapacity', (key, value) => integer(key, value, 0, 100)),
    fleetOverflow: read('fleetOverflow', (key, value) =>
      oneOf(key, value, [FleetOverflowBehavior.ON_DEMAND, FleetOverflowBehavior.QUEUE]),
    ),
    dockerServer: read('dockerServer', (key, value) => oneOf(key, value, DOCKER_SERVER_COMPUTE_TYPES)),
    dockerServerVpcId: read('dockerServerVpcId', (key, value) =>
      name(key, value, VPC_ID, 'a VPC id (vpc- and 8 or 17 hex digits)'),
    ),
    dockerServerSubnetIds: read('dockerServerSubnetIds', subnetIds),
    dockerHubCredentialArn: read('dockerHubCredentialArn', (key, value) =>
      name(
        key,
        value,
        PULL_THROUGH_SECRET_ARN,
        'the ARN of a Secrets Manager secret whose name starts with ecr-pullthroughcache/ (arn:aws:secretsmanager:<region>:<account>:secret:ecr-pullthroughcache/…)',
      ),
    ),
  });
}

/** The options set on a CDK app (by `-c` or cdk.json): what `cdk synth` deploys. */
export function contextOf(scope: IConstruct): KilnContext {
  return parseContext((key) => scope.node.tryGetContext(key), Object.keys(scope.node.getAllContext()));
}
