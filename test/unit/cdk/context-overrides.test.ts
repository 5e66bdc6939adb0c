import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { projectArn, type Synthesized, synthesize } from './synth';

describe('kiln stack with every context option set', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize({
      'kiln:architectures': 'x86_64,arm64',
      'kiln:retainSourceBucket': 'false',
      'kiln:repositoryName': 'team/kiln',
      'kiln:bucketName': 'team-kiln-sources',
      'kiln:projectName': 'team-kiln',
      'kiln:logGroupName': '/team/kiln',
      'kiln:sourceRetentionDays': '7',
      'kiln:logRetentionDays': '90',
      'kiln:computeType': 'BUILD_GENERAL1_LARGE',
      'kiln:timeoutMinutes': '120',
      'kiln:maxImages': '20',
      'kiln:untaggedImageDays': '2',
    });
  });

  it('synthesizes without CDK errors or warnings', () => {
    const annotations = Annotations.fromStack(synth.stack);
    expect([
      ...annotations.findError('*', Match.anyValue()),
      ...annotations.findWarning('*', Match.anyValue()),
    ]).toEqual([]);
  });

  it('adds an ARM project next to the x86_64 one, both with the chosen compute and timeout', () => {
    synth.template.resourceCountIs('AWS::CodeBuild::Project', 2);
    synth.template.hasResourceProperties('AWS::CodeBuild::Project', {
      Name: 'team-kiln',
      Environment: Match.objectLike({ Type: 'LINUX_CONTAINER', ComputeType: 'BUILD_GENERAL1_LARGE' }),
      TimeoutInMinutes: 120,
    });
    synth.template.hasResourceProperties('AWS::CodeBuild::Project', {
      Name: 'team-kiln-arm64',
      Environment: Match.objectLike({
        Type: 'ARM_CONTAINER',
        Image: 'aws/codebuild/amazonlinux-aarch64-standard:3.0',
        ComputeType: 'BUILD_GENERAL1_LARGE',
        PrivilegedMode: true,
      }),
      TimeoutInMinutes: 120,
      Cache: { Type: 'LOCAL', Modes: ['LOCAL_DOCKER_LAYER_CACHE'] },
      LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: { Ref: synth.logicalId('BuildLogs') } } },
    });
    synth.template.hasOutput('ProjectNameArm64', { Value: { Ref: synth.logicalId('Project-arm64') } });
  });

  it('lets users run builds on both projects', () => {
    synth.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'RunBuilds',
            Resource: [projectArn('team-kiln'), projectArn('team-kiln-arm64')],
          }),
        ]),
      },
    });
  });

  it('destroys the source bucket and its objects with the stack when kiln:retainSourceBucket=false', () => {
    synth.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
    });
    synth.template.hasResourceProperties('Custom::S3AutoDeleteObjects', {
      BucketName: { Ref: synth.logicalId('SourceBucket') },
    });
  });

  it('applies the name overrides', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', { BucketName: 'team-kiln-sources' });
    synth.template.hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'team/kiln' });
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/team/kiln',
      RetentionInDays: 90,
    });
  });

  it('applies the retention and image limits', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Id: 'expire-source-archives', ExpirationInDays: 7 })]),
      },
    });
    const [repository] = Object.values(synth.template.findResources('AWS::ECR::Repository'));
    const { rules } = JSON.parse(repository?.Properties.LifecyclePolicy.LifecyclePolicyText);
    expect(rules.map((rule: { selection: { countNumber: number } }) => rule.selection.countNumber)).toEqual([
      2, 9999, 20,
    ]);
  });
});

describe('kiln stack with kiln:architectures=arm64 alone', () => {
  it('creates only the ARM project', () => {
    const { template } = synthesize({ 'kiln:architectures': 'arm64' });
    template.resourceCountIs('AWS::CodeBuild::Project', 1);
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Name: 'kiln-arm64',
      Environment: Match.objectLike({ Type: 'ARM_CONTAINER' }),
    });
  });
});

describe('kiln stack with kiln:computeType=BUILD_GENERAL1_2XLARGE', () => {
  it('has no local docker layer cache (CodeBuild offers none on that compute type)', () => {
    const { template } = synthesize({ 'kiln:computeType': 'BUILD_GENERAL1_2XLARGE' });
    template.hasResourceProperties('AWS::CodeBuild::Project', {
      Environment: Match.objectLike({ ComputeType: 'BUILD_GENERAL1_2XLARGE' }),
      Cache: { Type: 'NO_CACHE' },
    });
  });
});
