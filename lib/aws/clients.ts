// The AWS clients kiln uses, created once per command from the SDK v3 default chain (env, shared
// config and profiles, SSO, container/instance roles). Only command actions load this module, so
// commands that never talk to AWS never load the SDK.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { ECRClient } from '@aws-sdk/client-ecr';
import { S3Client } from '@aws-sdk/client-s3';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { KilnError } from '../../contract/errors';
import { cloudWatchLogsSdk, ssmSdk } from './sdk';

export interface AwsClients {
  region: string;
  s3: S3Client;
  codebuild: CodeBuildClient;
  logs: CloudWatchLogsClient;
  sts: STSClient;
  /** The unchanged-build lookup (BatchGetImage) and its tagging (PutImage). */
  ecr: ECRClient;
  /** `--secret`: the build's SecureString parameters (PutParameter, DeleteParameters). */
  ssm: SSMClient;
}

export interface AwsClientOptions {
  /** `--region`, else config `remote.region`, else the SDK chain (AWS_REGION, the profile's region). */
  region?: string;
  /** `--profile`, else config `remote.profile`, else AWS_PROFILE / default. */
  profile?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Path-style S3 addressing is needed by S3-compatible servers on a custom endpoint (s3rver, MinIO),
 * which cannot serve `<bucket>.<host>` names.
 */
export function s3ForcePathStyle(env: NodeJS.ProcessEnv): boolean {
  return env.KILN_S3_FORCE_PATH_STYLE === '1' || Boolean(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL);
}

export async function createAwsClients(options: AwsClientOptions = {}): Promise<AwsClients> {
  const env = options.env ?? process.env;
  // kiln pins its SDK versions, so the SDK's notice about future releases needing Node 22 is noise
  // in every command's output on Node 20 (which kiln supports).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // One memoized provider for all clients: an SSO or assume-role exchange happens once per command.
  const credentials = fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  const common = {
    credentials,
    requestHandler: requestTimeouts(env),
    ...(options.profile ? { profile: options.profile } : {}),
  };
  const sts = new STSClient({ ...common, ...(options.region ? { region: options.region } : {}) });
  const region = options.region ?? (await resolveRegion(sts));
  const logs = once(() => new (cloudWatchLogsSdk().CloudWatchLogsClient)({ ...common, region }));
  const ssm = once(() => new (ssmSdk().SSMClient)({ ...common, region }));
  return {
    region,
    sts,
    s3: new S3Client({ ...common, region, forcePathStyle: s3ForcePathStyle(env) }),
    codebuild: new CodeBuildClient({ ...common, region }),
    get logs() {
      return logs();
    },
    ecr: new ECRClient({ ...common, region }),
    get ssm() {
      return ssm();
    },
  };
}

function once<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= create();
    return value;
  };
}

/**
 * Every AWS call has a deadline: an endpoint (or proxy) that accepts the connection and never answers
 * fails with a TimeoutError instead of hanging kiln. The request timeout is for an idle socket, so a
 * slow but moving upload is not cut off. KILN_HTTP_TIMEOUT_SECONDS overrides it (tests, slow links).
 */
export function requestTimeouts(env: NodeJS.ProcessEnv) {
  const seconds = Number(env.KILN_HTTP_TIMEOUT_SECONDS);
  const requestTimeout = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000;
  // Without throwOnRequestTimeout the handler only logs a warning and keeps waiting.
  return { connectionTimeout: Math.min(requestTimeout, 10_000), requestTimeout, throwOnRequestTimeout: true };
}

async function resolveRegion(client: STSClient): Promise<string> {
  try {
    const region = await client.config.region();
    if (region) return region;
  } catch {
    // The SDK throws "Region is missing"; the KilnError below says how to fix it.
  }
  throw new KilnError(
    'no AWS region configured',
    'Pass --region, set remote.region in the kiln config, or export AWS_REGION.',
  );
}
