// Where the deploy-infra stack lives for the caller: the account comes from STS, the names from the
// shared naming convention (contract/infra-names.ts) unless the config's `remote.*` overrides them.
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { Architecture, KilnConfig } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import {
  DEFAULT_LOG_GROUP,
  DEFAULT_REPOSITORY,
  projectName,
  STACK_NAME,
  sourceBucketName,
} from '../../contract/infra-names';
import type { AwsClients } from './clients';
import { errorName } from './error-name';
import { infrastructureNotFound, toKilnError } from './errors';

export interface Infrastructure {
  account: string;
  region: string;
  bucket: string;
  /** CodeBuild project for the requested architecture. */
  project: string;
  architecture: Architecture;
  repository: string;
  logGroup: string;
}

export function infrastructureNames(
  remote: KilnConfig['remote'],
  account: string,
  region: string,
  arch: Architecture,
): Infrastructure {
  return {
    account,
    region,
    bucket: remote.bucket ?? sourceBucketName(account, region),
    project: projectName(arch, remote.project ?? STACK_NAME),
    architecture: arch,
    repository: remote.repository ?? DEFAULT_REPOSITORY,
    logGroup: remote.logGroup ?? DEFAULT_LOG_GROUP,
  };
}

export async function callerAccount(clients: AwsClients, profile?: string): Promise<string> {
  try {
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    if (!identity.Account) {
      // The SDK reads an HTML page with status 200 (a captive portal, a proxy) as an empty answer.
      throw new KilnError(
        'AWS STS answered without an account: that answer did not come from AWS',
        'Check the network, proxy settings and any AWS_ENDPOINT_URL* variables.',
      );
    }
    return identity.Account;
  } catch (error) {
    throw toKilnError(error, { region: clients.region, profile });
  }
}

/**
 * Fails with the deploy-infra hint when the source bucket is missing: HeadBucket answers 404, or 403
 * when the caller's kiln policy is another region's (each region's stack has its own user policy).
 */
export async function assertBucketExists(clients: AwsClients, infra: Infrastructure): Promise<void> {
  try {
    await clients.s3.send(new HeadBucketCommand({ Bucket: infra.bucket }));
  } catch (error) {
    if (errorName(error) === 'NotFound') throw infrastructureNotFound(infra);
    if (errorName(error) === 'Forbidden') {
      throw new KilnError(
        `kiln infrastructure not found or not yours in account ${infra.account}, region ${infra.region}: the source bucket ${infra.bucket} answered 403`,
        `Run \`npm run deploy-infra\` for ${infra.region}, or attach its kiln-user-${infra.region} policy (or pass the right --region / --profile).`,
      );
    }
    throw toKilnError(error, infra);
  }
}
