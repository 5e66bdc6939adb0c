import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { synthesize } from './synth';

const ALL_OPTIONS = { 'kiln:architectures': 'x86_64,arm64', 'kiln:retainSourceBucket': 'false' };
const FLEET = { 'kiln:architectures': 'x86_64,arm64', 'kiln:fleetCapacity': '1' };
const DOCKER_SERVER = {
  'kiln:dockerServer': 'BUILD_GENERAL1_MEDIUM',
  'kiln:dockerServerVpcId': 'vpc-0123456789abcdef0',
  'kiln:dockerServerSubnetIds': 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
};

const DOCKER_HUB = {
  'kiln:dockerHubCredentialArn':
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf',
};

function findings(stack: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

/** `rule at construct path` → reason, for every acknowledgement recorded in the tree. */
function acknowledgements(stack: IConstruct): Map<string, string> {
  const found = new Map<string, string>();
  for (const node of stack.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [rule, reason] of Object.entries(entry.data as Record<string, string>)) {
        // Recorded with a namespace prefix, which cdk-nag ignores too.
        found.set(`${rule.replace(/^annotation::/i, '')} at ${node.node.path}`, reason);
      }
    }
  }
  return found;
}

/** The rules a stack would break without its acknowledgements, with the construct that owns each. */
function unacknowledgedFindings(context: Record<string, string>): string[] {
  const acknowledge = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
  try {
    return findings(synthesize(context).stack);
  } finally {
    acknowledge.mockRestore();
  }
}

describe.each([
  ['default context', {}],
  ['ARM project and a destroyable bucket', ALL_OPTIONS],
  ['reserved-capacity fleets', FLEET],
  ['the Docker server in a VPC', DOCKER_SERVER],
  ['the Docker Hub pull-through cache', DOCKER_HUB],
])('cdk-nag AwsSolutions on the stack with %s', (_name, context: Record<string, string>) => {
  let stack: IConstruct;
  beforeAll(() => {
    stack = synthesize(context).stack;
  });

  it('reports no unacknowledged finding', () => {
    expect(findings(stack)).toEqual([]);
  });

  it('acknowledges only findings that occur, each with a reason about this stack', () => {
    const raw = unacknowledgedFindings(context);
    const acknowledged = acknowledgements(stack);
    // A finding is reported on the CloudFormation resource below the construct that acknowledges it.
    const owner = (finding: string) =>
      [...acknowledged.keys()].find((key) => {
        const [rule, path] = key.split(' at ');
        return finding.startsWith(`${rule} at ${path}/`);
      });
    expect(raw.filter((finding) => owner(finding) === undefined)).toEqual([]);
    expect([...acknowledged.keys()].filter((key) => !raw.some((finding) => owner(finding) === key))).toEqual(
      [],
    );
    for (const reason of acknowledged.values()) {
      expect(reason.length).toBeGreaterThan(80);
      expect(reason).toMatch(/kiln|runner|docker|CLI/);
    }
  });
});
