// The managed policy for the people and CI roles that run `kiln build`, `logs`, `status`, `builds`
// and `stop`: exactly the calls the CLI makes, on this stack's resources only.
import { Aws, Stack, Validations } from 'aws-cdk-lib';
import type { IRepository } from 'aws-cdk-lib/aws-ecr';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ARCHITECTURES } from '../contract/config-schema';
import { projectName, SOURCE_PREFIX } from '../contract/infra-names';
import { SECRET_PARAMETERS_FINDING, SECRET_PARAMETERS_REASON, secretParametersArn } from './build-secrets';
import { sourceArchivesWildcardFinding } from './nag-findings';

export interface UserPolicyProps {
  bucket: IBucket;
  /** Base CodeBuild project name (`kiln:projectName`). */
  projectName: string;
  logGroup: ILogGroup;
  repository: IRepository;
}

export function userPolicy(
  scope: Construct,
  id: string,
  { bucket, projectName: base, logGroup, repository }: UserPolicyProps,
) {
  // Every architecture's project, deployed or not: the CLI looks for a project's builds in all of
  // them, and IAM authorizes on the ARN whether the project exists or not. An undeployed one then
  // answers ResourceNotFoundException ("not deployed"), never AccessDenied.
  const projectArns = ARCHITECTURES.map((arch) =>
    Stack.of(scope).formatArn({
      service: 'codebuild',
      resource: 'project',
      resourceName: projectName(arch, base),
    }),
  );
  const policy = new ManagedPolicy(scope, id, {
    // IAM names are global to the account while the stack is per region.
    managedPolicyName: `kiln-user-${Aws.REGION}`,
    description: 'Run kiln builds: upload source archives, start/follow/stop the kiln CodeBuild projects',
    statements: [
      // PutObject and the multipart calls upload (and abort) archives; GetObject answers HeadObject,
      // which the CLI uses to skip re-uploading an unchanged archive.
      new PolicyStatement({
        sid: 'UploadSourceArchives',
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [bucket.arnForObjects(`${SOURCE_PREFIX}*`)],
      }),
      // HeadBucket finds the infrastructure; it also makes HeadObject answer 404, not 403, for new archives.
      new PolicyStatement({
        sid: 'FindSourceBucket',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
      }),
      new PolicyStatement({
        sid: 'RunBuilds',
        actions: [
          'codebuild:StartBuild',
          'codebuild:BatchGetBuilds',
          'codebuild:StopBuild',
          'codebuild:ListBuildsForProject',
        ],
        resources: projectArns,
      }),
      // Before any upload, `kiln build` (and `kiln doctor`) check that the architecture's project exists
      // and builds for it: BatchGetProjects reads the project's environment, nothing else.
      new PolicyStatement({
        sid: 'InspectBuildProjects',
        actions: ['codebuild:BatchGetProjects'],
        resources: projectArns,
      }),
      // The log group ARN ends in ":*", which covers its log streams (GetLogEvents is authorized on those).
      new PolicyStatement({
        sid: 'ReadBuildLogs',
        actions: ['logs:GetLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      // An unchanged build: find the image built from the same input (BatchGetImage) and add the
      // requested tags to it (PutImage with its manifest) instead of starting a build.
      new PolicyStatement({
        sid: 'ReuseUnchangedImages',
        actions: ['ecr:BatchGetImage', 'ecr:PutImage'],
        resources: [repository.repositoryArn],
      }),
      // `kiln build --secret`: one SecureString per secret for the build, deleted when it ends.
      new PolicyStatement({
        sid: 'StoreBuildSecrets',
        actions: ['ssm:PutParameter', 'ssm:DeleteParameters'],
        resources: [secretParametersArn()],
      }),
    ],
  });

  Validations.of(policy).acknowledge(
    {
      id: sourceArchivesWildcardFinding(bucket),
      reason: `The CLI uploads each archive under a content-addressed key (${SOURCE_PREFIX}<sha256>.zip) computed on the user's machine, so object access is scoped to the ${SOURCE_PREFIX} prefix of the kiln source bucket.`,
    },
    { id: SECRET_PARAMETERS_FINDING, reason: SECRET_PARAMETERS_REASON },
  );
  return policy;
}
