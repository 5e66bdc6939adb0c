// The managed policy for the people and CI roles that run `kiln build`, `logs`, `status`, `builds`
// and `stop`: exactly the calls the CLI makes, on this stack's resources only.
import { Aws, Validations } from 'aws-cdk-lib';
import type { IProject } from 'aws-cdk-lib/aws-codebuild';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { SOURCE_PREFIX } from '../contract/infra-names';
import { sourceArchivesWildcardFinding } from './nag-findings';

export interface UserPolicyProps {
  bucket: IBucket;
  projects: IProject[];
  logGroup: ILogGroup;
}

export function userPolicy(scope: Construct, id: string, { bucket, projects, logGroup }: UserPolicyProps) {
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
        resources: projects.map((project) => project.projectArn),
      }),
      // The log group ARN ends in ":*", which covers its log streams (GetLogEvents is authorized on those).
      new PolicyStatement({
        sid: 'ReadBuildLogs',
        actions: ['logs:GetLogEvents', 'logs:FilterLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    ],
  });

  Validations.of(policy).acknowledge({
    id: sourceArchivesWildcardFinding(bucket),
    reason: `The CLI uploads each archive under a content-addressed key (${SOURCE_PREFIX}<sha256>.zip) computed on the user's machine, so object access is scoped to the ${SOURCE_PREFIX} prefix of the kiln source bucket.`,
  });
  return policy;
}
