// kiln:dockerHubCredentialArn: a second pull-through cache, of Docker Hub, for images ECR Public has
// no copy of; the build role may pull through it and the runner is told where it is. Without the
// option none of it exists (the default stack's tests check its exact statements and variables).
import { Match } from 'aws-cdk-lib/assertions';
import { deniedCalls } from '../../helpers/iam/policy-check';
import { type AwsCall, FAKE_ACCOUNT, FAKE_REGION } from '../../helpers/iam/recorded-calls';
import { synthesizePolicies } from '../../helpers/iam/shipped-policies';
import { type Synthesized, synthesize } from './synth';

const SECRET = `arn:aws:secretsmanager:${FAKE_REGION}:${FAKE_ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf`;
const OPTION = { 'kiln:dockerHubCredentialArn': SECRET, 'kiln:architectures': 'x86_64,arm64' };
const account = { Ref: 'AWS::AccountId' };
const region = { Ref: 'AWS::Region' };

function variablesOf(synth: Synthesized): { Name: string; Value: unknown }[][] {
  return Object.values(synth.template.findResources('AWS::CodeBuild::Project')).map(
    (project) => project.Properties.Environment.EnvironmentVariables,
  );
}

describe('the stack with kiln:dockerHubCredentialArn', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize(OPTION);
  });

  it('adds a Docker Hub pull-through rule with the credential, beside the ECR Public one', () => {
    synth.template.resourceCountIs('AWS::ECR::PullThroughCacheRule', 2);
    synth.template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'kiln-docker-hub',
      UpstreamRegistry: 'docker-hub',
      UpstreamRegistryUrl: 'registry-1.docker.io',
      CredentialArn: SECRET,
    });
    synth.template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'kiln-ecr-public',
      CredentialArn: Match.absent(),
    });
  });

  it('lets the build role pull through it (its own statement, on kiln-docker-hub/* only)', () => {
    const statements = synthesizePolicies(OPTION).build.Statement;
    expect(statements.find((statement) => statement.Sid === 'PullThroughDockerHub')).toEqual({
      Sid: 'PullThroughDockerHub',
      Effect: 'Allow',
      Action: [
        'ecr:BatchCheckLayerAvailability',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:CreateRepository',
        'ecr:BatchImportUpstreamImage',
      ],
      Resource: `arn:aws:ecr:${FAKE_REGION}:${FAKE_ACCOUNT}:repository/kiln-docker-hub/*`,
    });
    // The ECR Public statement is unchanged.
    expect(statements.map((statement) => statement.Sid)).toContain('PullThroughEcrPublic');
  });

  it('tells every project’s runner where the cache is (KILN_DOCKER_HUB_MIRROR)', () => {
    const all = variablesOf(synth);
    expect(all).toHaveLength(2);
    for (const variables of all) {
      expect(variables).toContainEqual({
        Name: 'KILN_DOCKER_HUB_MIRROR',
        Type: 'PLAINTEXT',
        Value: {
          'Fn::Join': [
            '',
            [account, '.dkr.ecr.', region, '.', { Ref: 'AWS::URLSuffix' }, '/kiln-docker-hub'],
          ],
        },
      });
    }
  });

  it('the IAM check allows a first pull of a Docker Hub image through it, and the default stack denies it', async () => {
    const pull: AwsCall[] = ['CreateRepository', 'BatchImportUpstreamImage', 'BatchGetImage'].map(
      (action) => ({
        principal: 'build',
        action: `ecr:${action}`,
        resource: `arn:aws:ecr:${FAKE_REGION}:${FAKE_ACCOUNT}:repository/kiln-docker-hub/oven/bun`,
      }),
    );
    expect(await deniedCalls(pull, synthesizePolicies(OPTION))).toEqual([]);
    expect(await deniedCalls(pull, synthesizePolicies())).toHaveLength(3);
  });
});

it('without the option there is no Docker Hub rule and no KILN_DOCKER_HUB_MIRROR', () => {
  const synth = synthesize();
  synth.template.resourceCountIs('AWS::ECR::PullThroughCacheRule', 1);
  for (const variables of variablesOf(synth)) {
    expect(variables.map((variable) => variable.Name)).not.toContain('KILN_DOCKER_HUB_MIRROR');
  }
  expect(synthesizePolicies().build.Statement.map((statement) => statement.Sid)).not.toContain(
    'PullThroughDockerHub',
  );
});
