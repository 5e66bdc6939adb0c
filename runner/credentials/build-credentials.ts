// AWS credentials for `dockerfile.buildArgs.enableAwsCreds`: the CodeBuild role's credentials
// (container credentials provider), or the default chain outside CodeBuild. The values travel as
// environment variables of the docker process; argv carries only the names.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * The credentials as the text of an AWS shared-credentials file (default profile), for BuildKit's
 * `--secret`: any SDK or CLI in a RUN step that mounts it finds it through AWS_SHARED_CREDENTIALS_FILE.
 */
export function credentialsFileText(args: Record<string, string>): string {
  const lines = [
    '[default]',
    `aws_access_key_id = ${args.AWS_ACCESS_KEY_ID}`,
    `aws_secret_access_key = ${args.AWS_SECRET_ACCESS_KEY}`,
    ...(args.AWS_SESSION_TOKEN ? [`aws_session_token = ${args.AWS_SESSION_TOKEN}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * BuildKit secrets (id → content) as files for `docker build --secret id=…,src=…`: written outside
 * the build context, in a folder only this user can read; the caller removes `dir`.
 */
export async function writeSecretFiles(
  contents: Record<string, string>,
): Promise<{ dir: string; files: Record<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-secrets-'));
  const files: Record<string, string> = {};
  for (const [id, content] of Object.entries(contents)) {
    files[id] = join(dir, id);
    await writeFile(files[id], content, { mode: 0o600 });
  }
  return { dir, files };
}
