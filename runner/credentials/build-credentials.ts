// AWS credentials for `dockerfile.buildArgs.enableAwsCreds`: the CodeBuild role's credentials
// (container credentials provider), or the default chain outside CodeBuild. The values travel as
// environment variables of the docker process; argv carries only the names.
import { KilnError } from '../../contract/errors';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type CredentialSource = () => Promise<AwsCredentials>;

/** Inside CodeBuild the container metadata endpoint; elsewhere the SDK's default chain. */
export function defaultCredentialSource(inCodeBuild: boolean): CredentialSource {
  return async () => {
    const { fromContainerMetadata, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    const provider = inCodeBuild
      ? fromContainerMetadata({ maxRetries: 3, timeout: 2000 })
      : fromNodeProviderChain();
    return provider();
  };
}

/**
 * The credential build args (name → value) for the docker process environment. Undefined when no
 * credentials are found and they are optional (local builds); an error when they are required.
 */
export async function resolveCredentialBuildArgs(
  source: CredentialSource,
  region: string | undefined,
  required: boolean,
): Promise<Record<string, string> | undefined> {
  let credentials: AwsCredentials;
  try {
    credentials = await source();
  } catch (error) {
    if (!required) return undefined;
    throw new KilnError(
      `could not resolve the build's AWS credentials: ${(error as Error).message}`,
      'Check the CodeBuild project role, or set dockerfile.buildArgs.enableAwsCreds: false.',
    );
  }
  const args: Record<string, string> = {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
  if (credentials.sessionToken) args.AWS_SESSION_TOKEN = credentials.sessionToken;
  if (region) {
    args.AWS_REGION = region;
    args.AWS_DEFAULT_REGION = region;
  }
  return args;
}
