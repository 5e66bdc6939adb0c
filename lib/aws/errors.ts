// Every AWS failure a user can fix, mapped in one place to one clear line and the fix.
// Anything not recognised is returned unchanged (the CLI reports it as unexpected).
import { KilnError } from '../../contract/errors';
import { errorName, isThrottling } from './error-name';

export interface AwsErrorContext {
  account?: string;
  region?: string;
  profile?: string;
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const REJECTED = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
]);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'Forbidden', 'AuthorizationError']);
const MISSING_INFRA = new Set(['NoSuchBucket', 'ResourceNotFoundException']);
const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'TimeoutError',
]);

export function infrastructureNotFound(context: AwsErrorContext): KilnError {
  return new KilnError(
    `kiln infrastructure not found in account ${context.account ?? 'unknown'}, region ${context.region ?? 'unknown'}`,
    'Run `npm run deploy-infra` in the kiln repository (or fix remote.* in the kiln config, --profile or --region).',
  );
}

export function toKilnError(error: unknown, context: AwsErrorContext): unknown {
  if (error instanceof KilnError) return error;
  const name = errorName(error);
  const message = messageOf(error);
  const profile = context.profile ? ` --profile ${context.profile}` : '';
  if ((name === 'CredentialsProviderError' || name === 'TokenProviderError') && /\bsso\b/i.test(message)) {
    return new KilnError(
      'the AWS SSO session has expired or is not logged in',
      `Run \`aws sso login${profile}\` and try again.`,
    );
  }
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return new KilnError(
      'no AWS credentials found',
      'Pass --profile (or set AWS_PROFILE), run `aws configure` or `aws sso login`, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.',
    );
  }
  if (EXPIRED.has(name)) {
    return new KilnError(
      'the AWS credentials have expired',
      `Refresh them (\`aws sso login${profile}\`, or new temporary credentials) and try again.`,
    );
  }
  if (REJECTED.has(name)) {
    return new KilnError(
      'AWS rejected the credentials (unknown access key or bad secret)',
      'Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the profile given with --profile.',
    );
  }
  if (DENIED.has(name)) {
    const where = context.account ? ` in account ${context.account}, region ${context.region}` : '';
    return new KilnError(
      `access denied by AWS${where}: ${firstLine(message)}`,
      'Use credentials allowed to use the kiln stack (see the policy `npm run deploy-infra` prints), or pass --profile.',
    );
  }
  if (MISSING_INFRA.has(name)) return infrastructureNotFound(context);
  if (isThrottling(error)) {
    return new KilnError('AWS kept throttling kiln’s requests', 'Wait a minute and try again.');
  }
  if (name === 'AccountLimitExceededException') {
    return new KilnError(
      `CodeBuild will not queue the build: ${firstLine(message)}`,
      'New AWS accounts often start with a concurrent-build quota of 0 or 1: ask for more in Service Quotas (AWS CodeBuild, concurrently running builds for your compute type), or wait for running builds to end.',
    );
  }
  if (name === 'InvalidInputException') {
    return new KilnError(
      `AWS rejected the request: ${firstLine(message)}`,
      'Check the flags and remote.* settings named above.',
    );
  }
  if (NETWORK.has(name)) {
    return new KilnError(
      `cannot reach AWS${context.region ? ` in ${context.region}` : ''}: ${name === 'TimeoutError' || name === 'ETIMEDOUT' ? 'no answer in time' : firstLine(message)}`,
      'Check the network, proxy settings and any AWS_ENDPOINT_URL* variables.',
    );
  }
  return error;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!.trim();
}
