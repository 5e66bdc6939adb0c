// The IAM policies the stack ships, as deployed in the fakes' account and region: the synthesized
// template's user policy (what kiln commands run with) and build role policy (what CodeBuild and the
// runner run with), with CloudFormation's Ref/GetAtt/Join resolved to concrete ARNs.
import { synthesize } from '../../unit/cdk/synth';
import { FAKE_ACCOUNT, FAKE_REGION, type Principal } from './recorded-calls';

export interface PolicyDocument {
  Version: string;
  Statement: { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[] }[];
}

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

export type ShippedPolicies = Record<Principal, PolicyDocument>;

/**
 * Synthesizing takes seconds, so jest's global setup does it once per run and hands the result to
 * every test file in this variable (global-setup.ts).
 */
export const POLICIES_VARIABLE = 'KILN_TEST_SHIPPED_POLICIES';

/** The policies of the default stack: from the global setup, else synthesized here. */
export function shippedPolicies(): ShippedPolicies {
  const handed = process.env[POLICIES_VARIABLE];
  return handed ? (JSON.parse(handed) as ShippedPolicies) : synthesizePolicies();
}

/** `policies` without the statement `sid`: what the check says once a statement is removed. */
export function withoutStatement(policies: ShippedPolicies, sid: string): ShippedPolicies {
  const drop = (document: PolicyDocument) => ({
    ...document,
    Statement: document.Statement.filter((statement) => statement.Sid !== sid),
  });
  return { cli: drop(policies.cli), build: drop(policies.build) };
}

/** The policies of the stack synthesized with these `kiln:*` context options (defaults: none). */
export function synthesizePolicies(context: Record<string, unknown> = {}): ShippedPolicies {
  const template = synthesize(context).template.toJSON() as Template;
  const resolve = resolver(template);
  const only = (type: string) => {
    const found = Object.values(template.Resources).filter((resource) => resource.Type === type);
    if (found.length !== 1) throw new Error(`expected one ${type} in the kiln stack, found ${found.length}`);
    return found[0]!.Properties;
  };
  const role = only('AWS::IAM::Role') as { Policies: { PolicyDocument: unknown }[] };
  return {
    cli: resolve(only('AWS::IAM::ManagedPolicy').PolicyDocument) as PolicyDocument,
    build: resolve({
      Version: '2012-10-17',
      Statement: role.Policies.flatMap((policy) => (policy.PolicyDocument as PolicyDocument).Statement),
    }) as PolicyDocument,
  };
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': FAKE_REGION,
  'AWS::AccountId': FAKE_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** What Ref and GetAtt-Arn give for the resource types kiln's policies name. */
function resolver(template: Template): (value: unknown) => unknown {
  const arn = (service: string, resource: string) =>
    `arn:aws:${service}:${FAKE_REGION}:${FAKE_ACCOUNT}:${resource}`;
  const ref = (id: string): string => {
    if (PSEUDO[id]) return PSEUDO[id];
    const resource = template.Resources[id];
    const name = (property: string) => resolve(resource!.Properties[property]) as string;
    switch (resource?.Type) {
      case 'AWS::S3::Bucket':
        return name('BucketName');
      case 'AWS::Logs::LogGroup':
        return name('LogGroupName');
      case 'AWS::ECR::Repository':
        return name('RepositoryName');
      case 'AWS::CodeBuild::Project':
        return name('Name');
      default:
        throw new Error(`shippedPolicies: cannot resolve Ref ${id} (${resource?.Type})`);
    }
  };
  const arnOf = (id: string): string => {
    const type = template.Resources[id]?.Type;
    const name = ref(id);
    switch (type) {
      case 'AWS::S3::Bucket':
        return `arn:aws:s3:::${name}`;
      case 'AWS::Logs::LogGroup':
        return arn('logs', `log-group:${name}:*`);
      case 'AWS::ECR::Repository':
        return arn('ecr', `repository/${name}`);
      case 'AWS::CodeBuild::Project':
        return arn('codebuild', `project/${name}`);
      default:
        throw new Error(`shippedPolicies: cannot resolve the Arn of ${id} (${type})`);
    }
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (typeof value !== 'object' || value === null) return value;
    const object = value as Record<string, unknown>;
    if ('Ref' in object) return ref(object.Ref as string);
    if ('Fn::GetAtt' in object) return arnOf((object['Fn::GetAtt'] as string[])[0]!);
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(resolve).join(separator);
    }
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, resolve(inner)]));
  };
  return resolve;
}
