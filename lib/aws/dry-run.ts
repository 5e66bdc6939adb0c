// `kiln doctor`'s access check: read-only calls of a build, on names that cannot exist, so "not found"
// means allowed and AccessDenied means the identity lacks the kiln user policy of this region.
// StartBuild and PutObject cannot be tried without side effects; their policy statements are the
// ones BatchGetBuilds and GetObject (HeadObject) come from.
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand } from '@aws-sdk/client-codebuild';
import { BatchGetImageCommand } from '@aws-sdk/client-ecr';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { sourceArchiveKey } from '../../contract/infra-names';
import type { AwsClients } from './clients';
import { errorName } from './error-name';
import type { Infrastructure } from './infrastructure';

const NOT_FOUND = new Set(['NotFound', 'NoSuchKey', 'ResourceNotFoundException']);
const PROBE = 'kiln-doctor';

function allowedIfMissing(error: unknown): void {
  if (!NOT_FOUND.has(errorName(error))) throw error;
}

/** Returns the IAM actions that were allowed; throws the first denial. */
export async function dryRunBuildCalls(clients: AwsClients, infra: Infrastructure): Promise<string[]> {
  await clients.s3
    .send(new HeadObjectCommand({ Bucket: infra.bucket, Key: sourceArchiveKey('0'.repeat(64)) }))
    .catch(allowedIfMissing);
  await clients.codebuild.send(
    new BatchGetBuildsCommand({ ids: [`${infra.project}:00000000-0000-0000-0000-000000000000`] }),
  );
  await clients.ecr.send(
    new BatchGetImageCommand({ repositoryName: infra.repository, imageIds: [{ imageTag: PROBE }] }),
  );
  await clients.logs
    .send(new GetLogEventsCommand({ logGroupName: infra.logGroup, logStreamName: PROBE, limit: 1 }))
    .catch(allowedIfMissing);
  return ['s3:GetObject', 'codebuild:BatchGetBuilds', 'ecr:BatchGetImage', 'logs:GetLogEvents'];
}
