// The role every kiln CodeBuild project runs as, written out statement by statement: CDK's grant
// helpers would add wildcard actions (s3:GetObject*, s3:List*) and report-group permissions kiln never
// uses. The projects receive it through `withoutPolicyUpdates()` so nothing is added behind our back.
import { Aws, Validations } from 'aws-cdk-lib';
import type { IRepository } from 'aws-cdk-lib/aws-ecr';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DOCKER_HUB_PULL_THROUGH_PREFIX, PULL_THROUGH_PREFIX, SOURCE_PREFIX } from '../contract/infra-names';
import { SECRET_PARAMETERS_FINDING, SECRET_PARAMETERS_REASON, secretParametersArn } from './build-secrets';
import { vpcNetworkInterfaceStatements } from './docker-server';
import { sourceArchivesWildcardFinding } from './nag-findings';
import {
  dockerHubPullThroughStatement,
  pullThroughFinding,
  pullThroughStatement,
} from './pull-through-cache';

export interface BuildRoleProps {
  bucket: IBucket;
  repository: IRepository;
  logGroup: ILogGroup;
  /** kiln:dockerServer: the builds run in these subnets of the user's VPC. */
  vpcSubnetIds?: readonly string[];
  /** kiln:dockerHubCredentialArn: the stack has a Docker Hub pull-through cache the builds pull through. */
  dockerHubCache?: boolean;
}

/** Pull and push of image layers and manifests, including the moving cache tag. */
export const REPOSITORY_PUSH_PULL_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
];

export class BuildRole extends Construct {
  readonly role: Role;

  constructor(
    scope: Construct,
    id: string,
    { bucket, repository, logGroup, vpcSubnetIds, dockerHubCache }: BuildRoleProps,
  ) {
    super(scope, id);
    const statements = [
      new PolicyStatement({
        sid: 'ReadSourceArchives',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [bucket.arnForObjects(`${SOURCE_PREFIX}*`)],
      }),
      // CodeBuild checks the bucket's location and ACL before downloading an S3 source.
      new PolicyStatement({
        sid: 'LocateSourceBucket',
        actions: ['s3:GetBucketAcl', 's3:GetBucketLocation'],
        resources: [bucket.bucketArn],
      }),
      new PolicyStatement({
        sid: 'PushPullRepository',
        actions: REPOSITORY_PUSH_PULL_ACTIONS,
        resources: [repository.repositoryArn],
      }),
      // `docker login` to ECR; AWS only grants this action on "*".
      new PolicyStatement({
        sid: 'LoginToEcr',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
      pullThroughStatement(),
      ...(dockerHubCache ? [dockerHubPullThroughStatement()] : []),
      // CodeBuild resolves a build's PARAMETER_STORE variables (GetParameters); the runner deletes them
      // once read. SecureStrings use the AWS-managed key alias/aws/ssm, whose key policy already lets
      // this account's principals decrypt through SSM: no KMS statement.
      new PolicyStatement({
        sid: 'ReadBuildSecrets',
        actions: ['ssm:GetParameters', 'ssm:DeleteParameters'],
        resources: [secretParametersArn()],
      }),
      new PolicyStatement({
        sid: 'WriteBuildLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      ...(vpcSubnetIds ? vpcNetworkInterfaceStatements(vpcSubnetIds) : []),
    ];
    this.role = new Role(this, 'Role', {
      description:
        'kiln CodeBuild projects: read source archives, push to the kiln repository, write build logs',
      assumedBy: new ServicePrincipal('codebuild.amazonaws.com', {
        // Confused-deputy guard: only CodeBuild acting for this account may assume the role.
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      inlinePolicies: { build: new PolicyDocument({ statements }) },
    });

    Validations.of(this.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `ecr:GetAuthorizationToken has no resource-level permissions (AWS only accepts "*"); every other ECR action is scoped to the kiln repository.${vpcSubnetIds ? ' The EC2 network-interface actions CodeBuild needs to place a kiln build in the VPC are only granted on "*" by AWS; attaching an interface is limited to the configured subnets.' : ''}`,
      },
      ...(vpcSubnetIds
        ? [
            {
              id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]',
              reason:
                'CodeBuild creates a new network interface for every kiln build in the VPC, so its id is unknown in advance; the permission is limited to the configured subnets and to CodeBuild as the authorized service.',
            },
          ]
        : []),
      {
        id: pullThroughFinding(PULL_THROUGH_PREFIX),
        reason: `The ECR Public pull-through cache creates one repository per base image under ${PULL_THROUGH_PREFIX}/ on first pull; builds may pull (and so create) only below that prefix.`,
      },
      ...(dockerHubCache
        ? [
            {
              id: pullThroughFinding(DOCKER_HUB_PULL_THROUGH_PREFIX),
              reason: `The Docker Hub pull-through cache (kiln:dockerHubCredentialArn) creates one repository per Docker Hub image under ${DOCKER_HUB_PULL_THROUGH_PREFIX}/ on first pull; builds may pull (and so create) only below that prefix.`,
            },
          ]
        : []),
      {
        id: SECRET_PARAMETERS_FINDING,
        reason: SECRET_PARAMETERS_REASON,
      },
      {
        id: sourceArchivesWildcardFinding(bucket),
        reason: `Each build reads a different content-addressed archive (${SOURCE_PREFIX}<sha256>.zip, chosen by the CLI at StartBuild), so reads are scoped to the ${SOURCE_PREFIX} prefix of the kiln source bucket.`,
      },
    );
  }
}
