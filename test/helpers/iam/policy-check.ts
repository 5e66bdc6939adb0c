// Evaluates recorded AWS calls against the shipped policies with an IAM policy evaluator
// (@cloud-copilot/iam-simulate): the same identity-policy logic AWS applies, so a call kiln makes
// that the deployed policy would deny fails the test that made it.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { type AwsCall, FAKE_ACCOUNT, type Principal } from './recorded-calls';
import type { PolicyDocument } from './shipped-policies';

const PRINCIPALS: Record<Principal, string> = {
  cli: `arn:aws:iam::${FAKE_ACCOUNT}:user/kiln-user`,
  build: `arn:aws:sts::${FAKE_ACCOUNT}:assumed-role/kiln-BuildRole/AWSCodeBuild-fake`,
};

export interface DeniedCall extends AwsCall {
  result: string;
}

const verdicts = new Map<string, Promise<string>>();

export async function deniedCalls(
  calls: AwsCall[],
  policies: Record<Principal, PolicyDocument>,
): Promise<DeniedCall[]> {
  const results = await Promise.all(
    calls.map(async (call) => ({ ...call, result: await verdict(call, policies[call.principal]) })),
  );
  const denied = results.filter((call) => call.result !== 'Allowed');
  return denied.filter((call, index) => denied.findIndex((other) => same(other, call)) === index);
}

function same(a: AwsCall, b: AwsCall): boolean {
  return a.principal === b.principal && a.action === b.action && a.resource === b.resource;
}

function verdict(call: AwsCall, policy: PolicyDocument): Promise<string> {
  const key = JSON.stringify([call, policy]);
  if (!verdicts.has(key)) verdicts.set(key, simulate(call, policy));
  return verdicts.get(key)!;
}

async function simulate(call: AwsCall, policy: PolicyDocument): Promise<string> {
  const response = await runSimulation(
    {
      identityPolicies: [{ name: 'kiln', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action: call.action,
        principal: PRINCIPALS[call.principal],
        resource: { accountId: FAKE_ACCOUNT, resource: call.resource },
        contextVariables: {},
      },
    },
    {},
  );
  if (response.resultType === 'error') return `invalid request: ${JSON.stringify(response.errors)}`;
  return response.overallResult;
}

export function describeDenied(denied: DeniedCall[]): string {
  return [
    'IAM: the policy kiln ships would deny these calls (see test/helpers/iam):',
    ...denied.map((call) => `  ${call.principal}: ${call.action} on ${call.resource} → ${call.result}`),
  ].join('\n');
}
