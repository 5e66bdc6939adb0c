// `kiln build --secret`: each value is stored for one build as an SSM SecureString under
// /kiln/secrets/<uuid>/<NAME> (encrypted with the account's AWS-managed key alias/aws/ssm), handed to
// StartBuild as a PARAMETER_STORE variable, and deleted when the build no longer needs it. Three
// layers delete it: the runner as soon as CodeBuild has resolved it into the build's environment,
// kiln when the build ends or fails to start, and an SSM expiration policy for a build that never
// ran while kiln was gone (a closed laptop, a killed CI job).
import { randomUUID } from 'node:crypto';
import type { Build } from '@aws-sdk/client-codebuild';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { SECRET_PARAMETERS_VARIABLE } from '../../contract/description';
import { SECRET_PARAMETER_ROOT } from '../../contract/infra-names';
import { ssmSdk } from './sdk';

/** DeleteParameters takes at most 10 names per call. */
const DELETE_BATCH = 10;

export interface StoredSecrets {
  /** `/kiln/secrets/<uuid>/`: what the runner deletes under (KILN_SECRET_PARAMETERS). */
  path: string;
  /** Secret name → parameter name, for StartBuild's PARAMETER_STORE variables. */
  parameters: Record<string, string>;
}

/**
 * Stores each secret as an Advanced-tier SecureString whose expiration policy deletes it after the
 * longest the build could take to start and run (its project's queue timeout + build timeout, 5
 * minutes of slack). Advanced tier is what allows a policy; it costs $0.05 per parameter-month,
 * prorated hourly, so a build's secret costs a fraction of a cent. A failure part-way deletes what
 * was stored and rethrows.
 */
export async function storeSecrets(
  ssm: Pick<SSMClient, 'send'>,
  secrets: Record<string, string>,
  options: { queuedMinutes: number; buildMinutes: number; now: number },
): Promise<StoredSecrets> {
  const path = `${SECRET_PARAMETER_ROOT}${randomUUID()}/`;
  const parameters: Record<string, string> = {};
  const expires = new Date(options.now + (options.queuedMinutes + options.buildMinutes + 5) * 60_000);
  try {
    for (const [name, value] of Object.entries(secrets)) {
      const parameter = `${path}${name}`;
      await ssm.send(
        new (ssmSdk().PutParameterCommand)({
          Name: parameter,
          Value: value,
          Type: 'SecureString',
          Tier: 'Advanced',
          Description: `kiln build secret ${name} (deleted when the build ends)`,
          Policies: JSON.stringify([
            {
              Type: 'Expiration',
              Version: '1.0',
              Attributes: { Timestamp: expires.toISOString() },
            },
          ]),
        }),
      );
      parameters[name] = parameter;
    }
  } catch (error) {
    await deleteSecrets(ssm, Object.values(parameters)).catch(() => undefined);
    throw error;
  }
  return { path, parameters };
}

/**
 * Deletes the parameters; already deleted ones (by the runner, or the expiration) are no error.
 * Returns the names that still existed.
 */
export async function deleteSecrets(ssm: Pick<SSMClient, 'send'>, parameters: string[]): Promise<string[]> {
  const deleted: string[] = [];
  for (let start = 0; start < parameters.length; start += DELETE_BATCH) {
    const answer = await ssm.send(
      new (ssmSdk().DeleteParametersCommand)({ Names: parameters.slice(start, start + DELETE_BATCH) }),
    );
    deleted.push(...(answer?.DeletedParameters ?? []));
  }
  return deleted;
}

/**
 * The parameters kiln stored for a build, from the build's own environment: the PARAMETER_STORE
 * variables under its KILN_SECRET_PARAMETERS path, which must be under kiln's prefix (a project's own
 * PARAMETER_STORE variables are never touched).
 */
export function storedSecretsOf(build: Build): string[] {
  const variables = build.environment?.environmentVariables ?? [];
  const path = variables.find((variable) => variable.name === SECRET_PARAMETERS_VARIABLE)?.value;
  if (!path?.startsWith(SECRET_PARAMETER_ROOT) || !path.endsWith('/')) return [];
  return variables
    .filter((variable) => variable.type === 'PARAMETER_STORE' && variable.value?.startsWith(path))
    .map((variable) => variable.value!);
}
