// Base images without Docker Hub: an ECR pull-through cache rule with ECR Public as upstream (no
// credentials needed; Docker official images are at public.ecr.aws/docker/library). Builds pull through
// the account's own registry, so Docker Hub's per-address limits, shared by CodeBuild hosts outside a
// VPC, never apply. Images only on Docker Hub get a second rule with Docker Hub as upstream when the
// user gives a Docker Hub credential (kiln:dockerHubCredentialArn): ECR then pulls as that account.
import { Aws } from 'aws-cdk-lib';
import { CfnPullThroughCacheRule } from 'aws-cdk-lib/aws-ecr';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DOCKER_HUB_PULL_THROUGH_PREFIX, PULL_THROUGH_PREFIX } from '../contract/infra-names';

export const ECR_PUBLIC_UPSTREAM = 'public.ecr.aws';
/** Docker Hub's registry endpoint, the URL ECR expects for a docker-hub upstream. */
export const DOCKER_HUB_UPSTREAM = 'registry-1.docker.io';

export function ecrPublicPullThroughCache(scope: Construct, id: string): CfnPullThroughCacheRule {
  return new CfnPullThroughCacheRule(scope, id, {
    ecrRepositoryPrefix: PULL_THROUGH_PREFIX,
    upstreamRegistry: 'ecr-public',
    upstreamRegistryUrl: ECR_PUBLIC_UPSTREAM,
  });
}

/**
 * Docker Hub through the account's registry, authenticated with the Secrets Manager secret
 * `credentialArn` (named `ecr-pullthroughcache/…`, holding a Docker Hub user and access token).
 */
export function dockerHubPullThroughCache(
  scope: Construct,
  id: string,
  credentialArn: string,
): CfnPullThroughCacheRule {
  return new CfnPullThroughCacheRule(scope, id, {
    ecrRepositoryPrefix: DOCKER_HUB_PULL_THROUGH_PREFIX,
    upstreamRegistry: 'docker-hub',
    upstreamRegistryUrl: DOCKER_HUB_UPSTREAM,
    credentialArn,
  });
}

/** ARN pattern of the repositories a cache creates on first pull. */
export function pullThroughRepositories(prefix = PULL_THROUGH_PREFIX): string {
  return `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/${prefix}/*`;
}

/** The cdk-nag finding of a statement on one cache's repositories. */
export function pullThroughFinding(prefix: string): string {
  return `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecr:<AWS::Region>:<AWS::AccountId>:repository/${prefix}/*]`;
}

/**
 * A first pull through a cache creates the repository and imports the image (CreateRepository,
 * BatchImportUpstreamImage); every pull reads layers and manifests.
 */
export function pullThroughStatement(
  sid = 'PullThroughEcrPublic',
  prefix = PULL_THROUGH_PREFIX,
): PolicyStatement {
  return new PolicyStatement({
    sid,
    actions: [
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:CreateRepository',
      'ecr:BatchImportUpstreamImage',
    ],
    resources: [pullThroughRepositories(prefix)],
  });
}

/** The build role's statement for the Docker Hub cache (only with kiln:dockerHubCredentialArn). */
export function dockerHubPullThroughStatement(): PolicyStatement {
  return pullThroughStatement('PullThroughDockerHub', DOCKER_HUB_PULL_THROUGH_PREFIX);
}
