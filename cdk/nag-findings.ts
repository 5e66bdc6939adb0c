// Exact cdk-nag finding ids for the acknowledgements that concern one specific resource reference.
import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { SOURCE_PREFIX } from '../contract/infra-names';

/** AwsSolutions-IAM5 finding of a policy resource `<bucket ARN>/sources/*`. */
export function sourceArchivesWildcardFinding(bucket: IBucket): string {
  const logicalId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as CfnElement);
  return `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${SOURCE_PREFIX}*]`;
}
