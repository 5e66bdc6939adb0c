// The fast-start options of issue 11: a reserved-capacity fleet and the CodeBuild Docker server,
// both off unless the context asks for them.
import { Match } from 'aws-cdk-lib/assertions';
import { type Synthesized, synthesize } from './synth';

const NETWORK = {
  'kiln:dockerServerVpcId': 'vpc-0123456789abcdef0',
  'kiln:dockerServerSubnetIds': 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
};
const SUBNET_ARN = (id: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ec2:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:subnet/${id}`,
    ],
  ],
});

function roleStatements(synth: Synthesized): Array<{ Sid?: string }> {
  const [role] = Object.values(
    synth.template.findResources('AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('kiln CodeBuild projects') },
    }),
  );
  return role!.Properties.Policies[0].PolicyDocument.Statement;
}

describe('default context', () => {
  const synth = synthesize();

  it('has no fleet, no Docker server, no VPC, no security group', () => {
    synth.template.resourceCountIs('AWS::CodeBuild::Fleet', 0);
    synth.template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    synth.template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ Fleet: Match.absent(), DockerServer: Match.absent() }),
      VpcConfig: Match.absent(),
    });
    expect(roleStatements(synth).map((statement) => statement.Sid)).not.toContain(
      'ManageBuildNetworkInterfaces',
    );
  });
});

describe('kiln:fleetCapacity', () => {
  const synth = synthesize({
    'kiln:architectures': 'x86_64,arm64',
    'kiln:fleetCapacity': '2',
    'kiln:computeType': 'BUILD_GENERAL1_LARGE',
  });

  it('gives each architecture a fleet of the projects compute type, overflowing on demand', () => {
    synth.template.resourceCountIs('AWS::CodeBuild::Fleet', 2);
    for (const [name, environmentType] of [
      ['kiln', 'LINUX_CONTAINER'],
      ['kiln-arm64', 'ARM_CONTAINER'],
    ]) {
      synth.template.hasResourceProperties('AWS::CodeBuild::Fleet', {
        Name: name,
        BaseCapacity: 2,
        ComputeType: 'BUILD_GENERAL1_LARGE',
        EnvironmentType: environmentType,
        OverflowBehavior: 'ON_DEMAND',
      });
    }
  });

  it('runs each project on its own architecture fleet', () => {
    for (const architecture of ['x86_64', 'arm64']) {
      const project = synth.template.toJSON().Resources[synth.logicalId(`Project-${architecture}`)];
      expect(project.Properties.Environment.Fleet).toEqual({
        FleetArn: { 'Fn::GetAtt': [synth.logicalId(`Fleet-${architecture}`), 'Arn'] },
      });
    }
  });

  it('queues overflow builds when kiln:fleetOverflow=QUEUE', () => {
    synthesize({ 'kiln:fleetCapacity': '1', 'kiln:fleetOverflow': 'QUEUE' }).template.hasResourceProperties(
      'AWS::CodeBuild::Fleet',
      { BaseCapacity: 1, OverflowBehavior: 'QUEUE' },
    );
  });
});

describe('kiln:dockerServer', () => {
  const synth = synthesize({ 'kiln:dockerServer': 'BUILD_GENERAL1_MEDIUM', ...NETWORK });
  const groupId = (path: string) => ({ 'Fn::GetAtt': [synth.logicalId(path), 'GroupId'] });

  it('runs the project in the given subnets with the Docker server, without the local cache (none in a VPC)', () => {
    synth.template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({
        PrivilegedMode: true,
        DockerServer: {
          ComputeType: 'BUILD_GENERAL1_MEDIUM',
          SecurityGroupIds: [groupId('DockerServerNetwork/DockerServer')],
        },
      }),
      VpcConfig: {
        VpcId: 'vpc-0123456789abcdef0',
        Subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
        SecurityGroupIds: [groupId('DockerServerNetwork/BuildHosts')],
      },
      Cache: { Type: 'NO_CACHE' },
    });
  });

  it('lets only kiln builds reach the Docker server, on its port', () => {
    synth.template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 1);
    synth.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: groupId('DockerServerNetwork/DockerServer'),
      SourceSecurityGroupId: groupId('DockerServerNetwork/BuildHosts'),
      IpProtocol: 'tcp',
      FromPort: 9876,
      ToPort: 9876,
    });
    for (const group of Object.values(synth.template.findResources('AWS::EC2::SecurityGroup'))) {
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    }
  });

  it('lets the build role attach network interfaces in those subnets only, for CodeBuild', () => {
    const attach = roleStatements(synth).find(
      (statement) => statement.Sid === 'AttachBuildNetworkInterfaces',
    );
    expect(attach).toMatchObject({
      Action: 'ec2:CreateNetworkInterfacePermission',
      Condition: {
        StringEquals: {
          'ec2:Subnet': [SUBNET_ARN('subnet-0123456789abcdef0'), SUBNET_ARN('subnet-0123456789abcdef1')],
          'ec2:AuthorizedService': 'codebuild.amazonaws.com',
        },
      },
    });
    expect(roleStatements(synth).map((statement) => statement.Sid)).toContain('ManageBuildNetworkInterfaces');
    // CDK's own VPC policy for projects is not created: the role's statements are the whole policy.
    synth.template.resourceCountIs('AWS::IAM::Policy', 0);
  });
});
