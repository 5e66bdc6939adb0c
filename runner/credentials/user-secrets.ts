// The user's secrets (`kiln build --secret NAME`, config dockerfile.secrets): their names come from
// build.json, their values from the build's environment (CodeBuild resolves the PARAMETER_STORE
// variables kiln set; `--local` passes the caller's own). Remote builds then delete the parameters
// at once: the values are in this process, and nothing else needs them.
import { KilnError } from '../../contract/errors';

/** Deletes SSM parameters (DeleteParameters) in the build's region. */
export type SecretParameterCleanup = (region: string | undefined, parameters: string[]) => Promise<void>;

export function readUserSecrets(names: readonly string[], env: NodeJS.ProcessEnv): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new KilnError(
        `secret ${name} has no value in the build's environment`,
        'kiln build sets it from your environment (export it before running kiln build --secret).',
      );
    }
    secrets[name] = value;
  }
  return secrets;
}

/** The build role's credentials (container provider in CodeBuild); DeleteParameters takes 10 names. */
export const deleteSecretParameters: SecretParameterCleanup = async (region, parameters) => {
  if (parameters.length === 0) return;
  const { SSMClient, DeleteParametersCommand } = await import('@aws-sdk/client-ssm');
  const ssm = new SSMClient(region ? { region } : {});
  for (let start = 0; start < parameters.length; start += 10) {
    await ssm.send(new DeleteParametersCommand({ Names: parameters.slice(start, start + 10) }));
  }
};
