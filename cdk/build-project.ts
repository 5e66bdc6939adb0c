// One CodeBuild project per architecture. The project's S3 source is only a placeholder: the CLI
// points every build at its own uploaded archive with sourceLocationOverride/sourceTypeOverride.
import { Aws, Duration, Validations } from 'aws-cdk-lib';
import {
  type BuildSpec,
  Cache,
  type ComputeType,
  type IBuildImage,
  type IFleet,
  LinuxArmBuildImage,
  LinuxBuildImage,
  LocalCacheMode,
  Project,
  Source,
} from 'aws-cdk-lib/aws-codebuild';
import type { IRepository } from 'aws-cdk-lib/aws-ecr';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { Architecture } from '../contract/config-schema';
import {
  DOCKER_HUB_PULL_THROUGH_PREFIX,
  NO_LOCAL_CACHE_COMPUTE_TYPES,
  PROJECT_ENVIRONMENT,
  PULL_THROUGH_PREFIX,
  SOURCE_PREFIX,
} from '../contract/infra-names';
import type { DockerServerProjectProps } from './docker-server';

/** CodeBuild-managed images with docker and buildx: Ubuntu standard on x86_64, Amazon Linux on ARM. */
const BUILD_IMAGES: Record<Architecture, IBuildImage> = {
  x86_64: LinuxBuildImage.STANDARD_7_0,
  arm64: LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
};

/** The account's own registry, home of the pull-through caches. */
const REGISTRY = `${Aws.ACCOUNT_ID}.dkr.ecr.${Aws.REGION}.${Aws.URL_SUFFIX}`;

/** Never downloaded: CreateProject needs a location, every StartBuild overrides it. */
const PLACEHOLDER_SOURCE_KEY = `${SOURCE_PREFIX}placeholder.zip`;

export interface BuildProjectProps {
  projectName: string;
  architecture: Architecture;
  role: Role;
  bucket: IBucket;
  repository: IRepository;
  logGroup: ILogGroup;
  buildSpec: BuildSpec;
  computeType: ComputeType;
  timeoutMinutes: number;
  /** kiln:fleetCapacity: builds run on this reserved-capacity fleet. */
  fleet?: IFleet;
  /** kiln:dockerServer: builds run in the VPC and docker commands go to CodeBuild's Docker server. */
  dockerServer?: DockerServerProjectProps;
  /** kiln:dockerHubCredentialArn: the stack has a Docker Hub pull-through cache; the runner uses it. */
  dockerHubCache?: boolean;
}

/** CodeBuild offers no local cache on these compute types, nor to builds in a VPC. */
function localCache(props: BuildProjectProps) {
  if (props.dockerServer || NO_LOCAL_CACHE_COMPUTE_TYPES.includes(props.computeType)) return {};
  return { cache: Cache.local(LocalCacheMode.DOCKER_LAYER) };
}

export function buildProject(scope: Construct, id: string, props: BuildProjectProps): Project {
  const project = new Project(scope, id, {
    projectName: props.projectName,
    description: `kiln remote docker builds (${props.architecture})`,
    // Immutable view: the role's own statements are the whole policy, no CDK grants are added.
    role: props.role.withoutPolicyUpdates(),
    source: Source.s3({ bucket: props.bucket, path: PLACEHOLDER_SOURCE_KEY }),
    buildSpec: props.buildSpec,
    environment: {
      buildImage: BUILD_IMAGES[props.architecture],
      computeType: props.computeType,
      // The runner drives a docker daemon inside the build container.
      privileged: true,
      ...(props.fleet ? { fleet: props.fleet } : {}),
      ...(props.dockerServer ? { dockerServer: props.dockerServer.dockerServer } : {}),
    },
    ...(props.dockerServer
      ? {
          vpc: props.dockerServer.vpc,
          subnetSelection: props.dockerServer.subnetSelection,
          securityGroups: props.dockerServer.securityGroups,
        }
      : {}),
    environmentVariables: {
      [PROJECT_ENVIRONMENT.repositoryUri]: { value: props.repository.repositoryUri },
      [PROJECT_ENVIRONMENT.region]: { value: Aws.REGION },
      [PROJECT_ENVIRONMENT.baseImageMirror]: { value: `${REGISTRY}/${PULL_THROUGH_PREFIX}` },
      ...(props.dockerHubCache
        ? {
            [PROJECT_ENVIRONMENT.dockerHubMirror]: { value: `${REGISTRY}/${DOCKER_HUB_PULL_THROUGH_PREFIX}` },
          }
        : {}),
    },
    timeout: Duration.minutes(props.timeoutMinutes),
    // Keeps docker layers on the build host between close builds; the registry cache covers the rest.
    ...localCache(props),
    logging: { cloudWatch: { logGroup: props.logGroup } },
  });

  // For a project in a VPC, CDK adds a policy of EC2 actions for the project's role; the role is
  // immutable here (nothing is attached, nothing synthesized) and BuildRole grants these itself.
  if (props.dockerServer) project.node.tryRemoveChild('PolicyDocument');

  Validations.of(project).acknowledge({
    id: 'AwsSolutions-CB4',
    reason:
      'kiln projects produce no CodeBuild artifacts (images go to the ECR repository, encrypted at rest by ECR); the only data CodeBuild stores is the build itself, covered by the CodeBuild-managed key.',
  });
  return project;
}
