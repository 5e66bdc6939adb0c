import { ComputeType } from 'aws-cdk-lib/aws-codebuild';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_CONTEXT, parseContext } from '../../../cdk/context';
import { KilnError } from '../../../contract/errors';

const parse = (context: Record<string, unknown>) => parseContext((key) => context[key], Object.keys(context));

function errorFor(context: Record<string, unknown>): KilnError {
  try {
    parse(context);
  } catch (error) {
    if (error instanceof KilnError) return error;
    throw error;
  }
  throw new Error('expected a KilnError');
}

describe('kiln:* context', () => {
  it('defaults every option when none is given', () => {
    expect(parse({})).toEqual(DEFAULT_CONTEXT);
    expect(DEFAULT_CONTEXT).toMatchObject({
      repositoryName: 'kiln',
      logGroupName: '/kiln/builds',
      sourceRetentionDays: 30,
      logRetentionDays: 30,
      retainSourceBucket: true,
      architectures: ['x86_64'],
      computeType: 'BUILD_GENERAL1_MEDIUM',
      timeoutMinutes: 60,
    });
  });

  it('reads the strings of `-c key=value` and the JSON values of cdk.json alike', () => {
    const fromFlags = parse({
      'kiln:sourceRetentionDays': '7',
      'kiln:logRetentionDays': '90',
      'kiln:retainSourceBucket': 'false',
      'kiln:architectures': 'arm64, x86_64',
      'kiln:computeType': 'BUILD_GENERAL1_LARGE',
      'kiln:timeoutMinutes': '120',
      'kiln:maxImages': '50',
      'kiln:untaggedImageDays': '3',
    });
    const fromJson = parse({
      'kiln:sourceRetentionDays': 7,
      'kiln:logRetentionDays': 90,
      'kiln:retainSourceBucket': false,
      'kiln:architectures': ['x86_64', 'arm64'],
      'kiln:computeType': 'BUILD_GENERAL1_LARGE',
      'kiln:timeoutMinutes': 120,
      'kiln:maxImages': 50,
      'kiln:untaggedImageDays': 3,
    });
    expect(fromFlags).toEqual(fromJson);
    expect(fromFlags).toMatchObject({
      sourceRetentionDays: 7,
      logRetentionDays: RetentionDays.THREE_MONTHS,
      retainSourceBucket: false,
      architectures: ['x86_64', 'arm64'],
      computeType: ComputeType.LARGE,
      timeoutMinutes: 120,
      maxImages: 50,
      untaggedImageDays: 3,
    });
  });

  it('accepts name overrides that AWS accepts', () => {
    expect(
      parse({
        'kiln:repositoryName': 'team/kiln-images',
        'kiln:bucketName': 'my-kiln-sources',
        'kiln:projectName': 'team-kiln',
        'kiln:logGroupName': '/team/kiln',
      }),
    ).toMatchObject({
      repositoryName: 'team/kiln-images',
      bucketName: 'my-kiln-sources',
      projectName: 'team-kiln',
      logGroupName: '/team/kiln',
    });
  });

  it.each([
    ['kiln:architectures', 'x86_64,armv7', 'x86_64, arm64'],
    ['kiln:architectures', '', 'x86_64, arm64'],
    ['kiln:computeType', 'BUILD_LAMBDA_4GB', 'BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM'],
    ['kiln:computeType', 'large', 'BUILD_GENERAL1_LARGE'],
    ['kiln:logRetentionDays', '45', '1, 3, 5, 7, 14, 30, 60, 90'],
    ['kiln:sourceRetentionDays', '0', 'a whole number from 1 to 3650'],
    ['kiln:sourceRetentionDays', 'thirty', 'a whole number from 1 to 3650'],
    ['kiln:timeoutMinutes', '3', 'a whole number from 5 to 2160'],
    ['kiln:timeoutMinutes', 2.5, 'a whole number from 5 to 2160'],
    ['kiln:maxImages', '-1', 'a whole number from 1 to 10000'],
    ['kiln:untaggedImageDays', '', 'a whole number from 1 to 3650'],
    ['kiln:retainSourceBucket', 'no', 'true or false'],
    ['kiln:repositoryName', 'Kiln', 'an ECR repository name'],
    ['kiln:bucketName', 'Bad_Bucket', 'an S3 bucket name'],
    ['kiln:projectName', 'kiln project', 'a CodeBuild project name'],
    ['kiln:logGroupName', 'logs:kiln', 'a log group name'],
    ['kiln:fleetCapacity', '101', 'a whole number from 0 to 100'],
    ['kiln:fleetOverflow', 'WAIT', 'ON_DEMAND, QUEUE'],
    ['kiln:dockerServer', 'BUILD_LAMBDA_4GB', 'BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM'],
    [
      'kiln:dockerHubCredentialArn',
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:docker-hub-AbCdEf',
      'a Secrets Manager secret whose name starts with ecr-pullthroughcache/',
    ],
    ['kiln:dockerHubCredentialArn', 'ecr-pullthroughcache/docker-hub', 'the ARN of a Secrets Manager secret'],
  ])('rejects %s=%j, naming the key and the accepted values', (key, value, accepted) => {
    const error = errorFor({ [key]: value });
    expect(error.message).toContain(`Invalid CDK context ${key}=${JSON.stringify(value)}`);
    expect(error.message).toContain(accepted);
    expect(error.hint).toContain('docs/infrastructure.md');
  });

  describe('fast start (fleet, Docker server): off unless asked for', () => {
    const network = {
      'kiln:dockerServerVpcId': 'vpc-0123456789abcdef0',
      'kiln:dockerServerSubnetIds': 'subnet-0123456789abcdef0, subnet-01234567',
    };

    it('defaults to on-demand builds with no Docker server', () => {
      expect(DEFAULT_CONTEXT).toMatchObject({ fleetCapacity: 0, fleetOverflow: 'ON_DEMAND' });
      expect(DEFAULT_CONTEXT.dockerServer).toBeUndefined();
    });

    it('reads a fleet and a Docker server with its network', () => {
      expect(parse({ 'kiln:fleetCapacity': '2', 'kiln:fleetOverflow': 'QUEUE' })).toMatchObject({
        fleetCapacity: 2,
        fleetOverflow: 'QUEUE',
      });
      expect(parse({ 'kiln:dockerServer': 'BUILD_GENERAL1_LARGE', ...network })).toMatchObject({
        dockerServer: 'BUILD_GENERAL1_LARGE',
        dockerServerVpcId: 'vpc-0123456789abcdef0',
        dockerServerSubnetIds: ['subnet-0123456789abcdef0', 'subnet-01234567'],
      });
    });

    it.each([
      ['kiln:dockerServerVpcId', 'my-vpc', 'a VPC id'],
      [
        'kiln:dockerServerSubnetIds',
        'subnet-0123456789abcdef0,sg-01234567',
        'a comma-separated list of subnet ids',
      ],
    ])('rejects %s=%j', (key, value, accepted) => {
      const error = errorFor({ 'kiln:dockerServer': 'BUILD_GENERAL1_SMALL', ...network, [key]: value });
      expect(error.message).toContain(`Invalid CDK context ${key}`);
      expect(error.message).toContain(accepted);
    });

    it('refuses a Docker server without a VPC, and VPC options without a Docker server', () => {
      expect(errorFor({ 'kiln:dockerServer': 'BUILD_GENERAL1_SMALL' }).message).toContain('needs a VPC');
      expect(errorFor({ 'kiln:dockerServer': 'BUILD_GENERAL1_SMALL' }).hint).toContain(
        'kiln:dockerServerSubnetIds',
      );
      expect(errorFor(network).message).toContain('used only with kiln:dockerServer');
    });

    it('refuses a fleet and a Docker server together', () => {
      const error = errorFor({
        'kiln:dockerServer': 'BUILD_GENERAL1_SMALL',
        ...network,
        'kiln:fleetCapacity': 1,
      });
      expect(error.message).toContain('cannot be combined');
    });
  });

  it('rejects an unknown kiln: option, suggesting the closest one', () => {
    const error = errorFor({ 'kiln:architecture': 'arm64' });
    expect(error.message).toBe(
      'Unknown CDK context option kiln:architecture: did you mean kiln:architectures?',
    );
    expect(error.hint).toContain('kiln:computeType');
  });

  it('leaves context keys of other tools alone', () => {
    expect(parse({ 'aws:cdk:bundling-stacks': ['*'], '@aws-cdk/core:newStyleStackSynthesis': true })).toEqual(
      DEFAULT_CONTEXT,
    );
  });
});
