// The one-per-account-and-region kiln stack. Environment-agnostic: names are built from the
// AWS::AccountId / AWS::Region tokens, so `cdk synth` needs no credentials and the CLI derives every
// name from STS GetCallerIdentity and its region alone (contract/infra-names.ts).
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Project } from 'aws-cdk-lib/aws-codebuild';
import { Repository, TagMutability } from 'aws-cdk-lib/aws-ecr';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { projectName, SOURCE_PREFIX, sourceBucketName } from '../contract/infra-names';
import { buildProject } from './build-project';
import { BuildRole } from './build-role';
import { loadBuildSpec } from './buildspec';
import type { KilnContext } from './context';
import { DockerServerNetwork } from './docker-server';
import { dockerHubPullThroughCache, ecrPublicPullThroughCache } from './pull-through-cache';
import { repositoryLifecycleRules } from './repository-lifecycle';
import { reservedFleet } from './reserved-fleet';
import { userPolicy } from './user-policy';

export const USER_POLICY_EXPORT = 'kiln-user-policy-arn';

export interface KilnStackProps extends StackProps {
  context: KilnContext;
}

export class KilnStack extends Stack {
  readonly projects: Project[];

  constructor(scope: Construct, id: string, props: KilnStackProps) {
    super(scope, id, props);
    const { context } = props;

    const retain = context.retainSourceBucket;
    const bucket = new Bucket(this, 'SourceBucket', {
      bucketName: context.bucketName ?? sourceBucketName(Aws.ACCOUNT_ID, Aws.REGION),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3: archives are short-lived build inputs read only by this account's principals; a KMS key
      // would add a monthly cost and kms:Decrypt/GenerateDataKey grants to every user and build role.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [
        {
          id: 'expire-source-archives',
          prefix: SOURCE_PREFIX,
          expiration: Duration.days(context.sourceRetentionDays),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      autoDeleteObjects: !retain,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket only holds content-addressed source archives that expire after kiln:sourceRetentionDays; who started which build is recorded by CodeBuild and CloudTrail, and a second logs bucket would outlive the data it describes.',
    });

    const repository = new Repository(this, 'Repository', {
      repositoryName: context.repositoryName,
      imageScanOnPush: true,
      // MUTABLE: the build cache lives under a moving tag that every build overwrites.
      imageTagMutability: TagMutability.MUTABLE,
      lifecycleRules: repositoryLifecycleRules(context),
      // Running services pull these images: deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const logGroup = new LogGroup(this, 'BuildLogs', {
      logGroupName: context.logGroupName,
      retention: context.logRetentionDays,
      // Build logs are diagnostics with a retention anyway; a retained group would block a re-deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    ecrPublicPullThroughCache(this, 'EcrPublicPullThroughCache');
    const dockerHubCache = context.dockerHubCredentialArn !== undefined;
    if (context.dockerHubCredentialArn) {
      dockerHubPullThroughCache(this, 'DockerHubPullThroughCache', context.dockerHubCredentialArn);
    }
    const { role } = new BuildRole(this, 'BuildRole', {
      bucket,
      repository,
      logGroup,
      dockerHubCache,
      ...(context.dockerServerSubnetIds ? { vpcSubnetIds: context.dockerServerSubnetIds } : {}),
    });
    const dockerServer =
      context.dockerServer && context.dockerServerVpcId && context.dockerServerSubnetIds
        ? new DockerServerNetwork(this, 'DockerServerNetwork', {
            computeType: context.dockerServer,
            vpcId: context.dockerServerVpcId,
            subnetIds: context.dockerServerSubnetIds,
          }).projectProps
        : undefined;
    const buildSpec = loadBuildSpec();
    this.projects = context.architectures.map((architecture) => {
      const name = projectName(architecture, context.projectName);
      const project = buildProject(this, `Project-${architecture}`, {
        projectName: name,
        architecture,
        role,
        bucket,
        repository,
        logGroup,
        buildSpec,
        computeType: context.computeType,
        timeoutMinutes: context.timeoutMinutes,
        dockerHubCache,
        ...(context.fleetCapacity > 0
          ? {
              fleet: reservedFleet(this, `Fleet-${architecture}`, {
                fleetName: name,
                architecture,
                computeType: context.computeType,
                baseCapacity: context.fleetCapacity,
                overflowBehavior: context.fleetOverflow,
              }),
            }
          : {}),
        ...(dockerServer ? { dockerServer } : {}),
      });
      new CfnOutput(this, `ProjectName${architecture === 'x86_64' ? 'X8664' : 'Arm64'}`, {
        description: `CodeBuild project for ${architecture} builds`,
        value: project.projectName,
      });
      return project;
    });

    const policy = userPolicy(this, 'UserPolicy', {
      bucket,
      projectName: context.projectName,
      logGroup,
      repository,
    });

    new CfnOutput(this, 'SourceBucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'RepositoryUri', { value: repository.repositoryUri });
    new CfnOutput(this, 'LogGroupName', { value: logGroup.logGroupName });
    new CfnOutput(this, 'UserPolicyArn', {
      description: 'Attach to the users and CI roles that run kiln build',
      value: policy.managedPolicyArn,
      exportName: USER_POLICY_EXPORT,
    });
  }
}
