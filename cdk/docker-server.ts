// The CodeBuild Docker server (kiln:dockerServer): a Docker engine CodeBuild keeps for the project,
// whose BuildKit cache survives between builds, reached by the build host over the network of a VPC.
// The projects join the user's VPC (kiln:dockerServerVpcId, kiln:dockerServerSubnetIds): the stack
// creates no VPC and no NAT gateway of its own.
import { Annotations, Aws, Fn } from 'aws-cdk-lib';
import type { DockerServerComputeType, DockerServerOptions } from 'aws-cdk-lib/aws-codebuild';
import { type IVpc, Port, SecurityGroup, Subnet, type SubnetSelection, Vpc } from 'aws-cdk-lib/aws-ec2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** The port CodeBuild's Docker server listens on (its API reference). */
export const DOCKER_SERVER_PORT = 9876;

export interface DockerServerProps {
  computeType: DockerServerComputeType;
  vpcId: string;
  subnetIds: readonly string[];
}

/** What a project needs to run in the VPC and use the Docker server. */
export interface DockerServerProjectProps {
  vpc: IVpc;
  subnetSelection: SubnetSelection;
  securityGroups: SecurityGroup[];
  dockerServer: DockerServerOptions;
}

export class DockerServerNetwork extends Construct {
  readonly projectProps: DockerServerProjectProps;

  constructor(scope: Construct, id: string, props: DockerServerProps) {
    super(scope, id);
    // The VPC and subnets are imported by id (the stack stays environment-agnostic: no lookups);
    // kiln reads neither their zones nor their route tables, which is what CDK warns about.
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones',
      'only explicit subnets are selected',
    );
    Annotations.of(this).acknowledgeWarning(
      '@aws-cdk/aws-ec2:noSubnetRouteTableId',
      'CodeBuild needs subnet ids only',
    );
    const vpc = Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: props.vpcId,
      // Only the explicit subnets below are ever selected; the zones are never read.
      availabilityZones: Fn.getAzs(),
    });
    const subnets = props.subnetIds.map((subnetId) => Subnet.fromSubnetId(this, subnetId, subnetId));
    // Builds push to ECR and write logs (outbound); nothing connects to them.
    const builds = new SecurityGroup(this, 'BuildHosts', {
      vpc,
      description: 'kiln CodeBuild builds: outbound to ECR, S3, CloudWatch Logs and the Docker server',
      allowAllOutbound: true,
    });
    const server = new SecurityGroup(this, 'DockerServer', {
      vpc,
      description: 'kiln CodeBuild Docker server: reachable from kiln builds only',
      allowAllOutbound: true,
    });
    server.addIngressRule(builds, Port.tcp(DOCKER_SERVER_PORT), 'docker API from kiln builds');
    this.projectProps = {
      vpc,
      subnetSelection: { subnets },
      securityGroups: [builds],
      dockerServer: { computeType: props.computeType, securityGroups: [server] },
    };
  }
}

/**
 * What CodeBuild needs of the build role to place a build in the VPC (its "VPC support" guide):
 * describe the network and manage the build's network interface, attached only to the given subnets.
 */
export function vpcNetworkInterfaceStatements(subnetIds: readonly string[]): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'ManageBuildNetworkInterfaces',
      actions: [
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeDhcpOptions',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcs',
      ],
      resources: ['*'],
    }),
    new PolicyStatement({
      sid: 'AttachBuildNetworkInterfaces',
      actions: ['ec2:CreateNetworkInterfacePermission'],
      resources: [`arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:network-interface/*`],
      conditions: {
        StringEquals: {
          'ec2:Subnet': subnetIds.map(
            (subnetId) => `arn:${Aws.PARTITION}:ec2:${Aws.REGION}:${Aws.ACCOUNT_ID}:subnet/${subnetId}`,
          ),
          'ec2:AuthorizedService': 'codebuild.amazonaws.com',
        },
      },
    }),
  ];
}
