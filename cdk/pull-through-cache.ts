// Base images without Docker Hub: an ECR pull-through cache rule with ECR Public as upstream (no
// credentials needed; Docker official images are at public.ecr.aws/docker/library). Builds pull through
// the account's own registry, so Docker Hub's per-address limits, shared by CodeBuild hosts outside a
// VPC, never apply.
import { Aws } from 'aws-cdk-lib';
import { CfnPullThroughCacheRule } from 'aws-cdk-lib/aws-ecr';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { PULL_THROUGH_PREFIX } from '../contract/infra-names';

export const ECR_PUBLIC_UPSTREAM = 'public.ecr.aws';

export function ecrPublicPullThroughCache(scope: Construct, id: string): CfnPullThroughCacheRule {
  return new CfnPullThroughCacheRule(scope, id, {
    ecrRepositoryPrefix: PULL_THROUGH_PREFIX,
    upstreamRegistry: 'ecr-public',
    upstreamRegistryUrl: ECR_PUBLIC_UPSTREAM,
  });
}

/** ARN pattern of the repositories the cache creates on first pull. */
export function pullThroughRepositories(): string {
  return `arn:${Aws.PARTITION}:ecr:${Aws.REGION}:${Aws.ACCOUNT_ID}:repository/${PULL_THROUGH_PREFIX}/*`;
}

/**
 * A first pull through the cache creates the repository and imports the image (CreateRepository,
 * BatchImportUpstreamImage); every pull reads layers and manifests.
 */
export function pullThroughStatement(): PolicyStatement {
  return new PolicyStatement({
    sid: 'PullThroughEcrPublic',
    actions: [
      'ecr:BatchCheckLayerAvailability',
      'ecr:BatchGetImage',
      'ecr:GetDownloadUrlForLayer',
      'ecr:CreateRepository',
      'ecr:BatchImportUpstreamImage',
    ],
    resources: [pullThroughRepositories()],
  });
}
