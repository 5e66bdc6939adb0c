import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import { REPOSITORY_PUSH_PULL_ACTIONS } from '../../../cdk/build-role';
import { USER_POLICY_EXPORT } from '../../../cdk/kiln-stack';
import { projectArn, type Synthesized, synthesize } from './synth';

const account = { Ref: 'AWS::AccountId' };
const region = { Ref: 'AWS::Region' };
const secretParameters = {
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', region, ':', account, ':parameter/kiln/secrets/*'],
  ],
};
const getAtt = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const allow = (Sid: string, Action: string | string[], Resource: unknown) => ({
  Sid,
  Effect: 'Allow',
  Action,
  Resource,
});
const sourceArchives = (bucket: string) => ({ 'Fn::Join': ['', [getAtt(bucket), '/sources/*']] });

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
}

function statementsOf(synth: Synthesized, type: string): Statement[] {
  return Object.values(synth.template.findResources(type)).flatMap((resource) => {
    const documents = resource.Properties.Policies?.map(
      (policy: { PolicyDocument: unknown }) => policy.PolicyDocument,
    ) ?? [resource.Properties.PolicyDocument];
    return documents.flatMap((document: { Statement: Statement[] }) => document.Statement);
  });
}

describe('kiln stack with default context', () => {
  let synth: Synthesized;
  let ids: Record<'bucket' | 'repository' | 'logGroup' | 'role' | 'project' | 'policy', string>;
  beforeAll(() => {
    synth = synthesize();
    ids = {
      bucket: synth.logicalId('SourceBucket'),
      repository: synth.logicalId('Repository'),
      logGroup: synth.logicalId('BuildLogs'),
      role: synth.logicalId('BuildRole/Role'),
      project: synth.logicalId('Project-x86_64'),
      policy: synth.logicalId('UserPolicy'),
    };
  });

  it('synthesizes without CDK errors or warnings (deprecated APIs, invalid settings)', () => {
    const annotations = Annotations.fromStack(synth.stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  describe('source bucket', () => {
    it('is named kiln-source-<account>-<region> from the deploy-time tokens', () => {
      synth.template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: { 'Fn::Join': ['', ['kiln-source-', account, '-', region]] },
      });
    });

    it('blocks all public access and encrypts with S3-managed keys', () => {
      synth.template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
    });

    it('denies every request that is not TLS, and grants nothing through the bucket policy', () => {
      synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: ids.bucket },
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: [getAtt(ids.bucket), { 'Fn::Join': ['', [getAtt(ids.bucket), '/*']] }],
            },
          ],
          Version: '2012-10-17',
        },
      });
    });

    it('expires source archives after 30 days and aborts incomplete uploads after 1 day', () => {
      synth.template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: [
            { Id: 'expire-source-archives', Prefix: 'sources/', ExpirationInDays: 30, Status: 'Enabled' },
            {
              Id: 'abort-incomplete-uploads',
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
              Status: 'Enabled',
            },
          ],
        },
      });
    });

    it('is retained when the stack is deleted, with no auto-delete custom resource', () => {
      synth.template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      synth.template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    });
  });

  describe('ECR repository', () => {
    it('is named kiln, scans on push, keeps tags mutable for the moving cache tag, and is retained', () => {
      synth.template.hasResource('AWS::ECR::Repository', {
        Properties: {
          RepositoryName: 'kiln',
          ImageScanningConfiguration: { ScanOnPush: true },
          ImageTagMutability: 'MUTABLE',
        },
        DeletionPolicy: 'Retain',
      });
    });

    it('expires only untagged images by default: ECR cannot tell which tagged image a service runs', () => {
      const [repository] = Object.values(synth.template.findResources('AWS::ECR::Repository'));
      const policy = JSON.parse(repository?.Properties.LifecyclePolicy.LifecyclePolicyText);
      expect(policy.rules).toEqual([
        {
          rulePriority: 1,
          description: 'Expire untagged images after 7 days',
          selection: {
            tagStatus: 'untagged',
            countType: 'sinceImagePushed',
            countNumber: 7,
            countUnit: 'days',
          },
          action: { type: 'expire' },
        },
      ]);
    });
  });

  it('creates the /kiln/builds log group with 30 days retention', () => {
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/kiln/builds',
      RetentionInDays: 30,
    });
  });

  describe('CodeBuild project', () => {
    it('creates only the x86_64 project, named kiln, by default', () => {
      synth.template.resourceCountIs('AWS::CodeBuild::Project', 1);
      synth.template.hasResourceProperties('AWS::CodeBuild::Project', { Name: 'kiln' });
    });

    it('runs privileged on the standard x86_64 image, MEDIUM compute, 60 minutes timeout', () => {
      synth.template.hasResourceProperties('AWS::CodeBuild::Project', {
        Environment: Match.objectLike({
          Type: 'LINUX_CONTAINER',
          Image: 'aws/codebuild/standard:7.0',
          ComputeType: 'BUILD_GENERAL1_MEDIUM',
          PrivilegedMode: true,
        }),
        TimeoutInMinutes: 60,
        Cache: { Type: 'LOCAL', Modes: ['LOCAL_DOCKER_LAYER_CACHE'] },
      });
    });

    it('takes its source from a placeholder in the source bucket', () => {
      synth.template.hasResourceProperties('AWS::CodeBuild::Project', {
        Source: Match.objectLike({
          Type: 'S3',
          Location: { 'Fn::Join': ['', [{ Ref: ids.bucket }, '/sources/placeholder.zip']] },
        }),
      });
    });

    it('uses the top-level buildspec.yml verbatim', () => {
      const [project] = Object.values(synth.template.findResources('AWS::CodeBuild::Project'));
      const buildspec = readFileSync(join(__dirname, '../../../buildspec.yml'), 'utf8');
      expect(parse(project?.Properties.Source.BuildSpec)).toEqual(parse(buildspec));
    });

    it('tells the build side its repository URI, region and base-image mirror (the pull-through cache)', () => {
      synth.template.hasResourceProperties('AWS::CodeBuild::Project', {
        Environment: Match.objectLike({
          EnvironmentVariables: [
            {
              Name: 'KILN_REPOSITORY_URI',
              Type: 'PLAINTEXT',
              Value: {
                'Fn::Join': [
                  '',
                  Match.arrayWith(['.dkr.ecr.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: ids.repository }]),
                ],
              },
            },
            { Name: 'KILN_REGION', Type: 'PLAINTEXT', Value: region },
            {
              Name: 'KILN_BASE_IMAGE_MIRROR',
              Type: 'PLAINTEXT',
              Value: {
                'Fn::Join': [
                  '',
                  [account, '.dkr.ecr.', region, '.', { Ref: 'AWS::URLSuffix' }, '/kiln-ecr-public'],
                ],
              },
            },
          ],
        }),
      });
    });

    it('sends its logs to the build log group and runs as the build role', () => {
      synth.template.hasResourceProperties('AWS::CodeBuild::Project', {
        LogsConfig: { CloudWatchLogs: { Status: 'ENABLED', GroupName: { Ref: ids.logGroup } } },
        ServiceRole: getAtt(ids.role),
      });
    });
  });

  describe('build role', () => {
    it('can be assumed by CodeBuild for this account only', () => {
      synth.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: 'codebuild.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': account } },
            },
          ],
        },
      });
    });

    it('has exactly the least-privilege statements, scoped to this stack', () => {
      synth.template.hasResourceProperties('AWS::IAM::Role', {
        Policies: [
          {
            PolicyName: 'build',
            PolicyDocument: {
              Statement: [
                allow(
                  'ReadSourceArchives',
                  ['s3:GetObject', 's3:GetObjectVersion'],
                  sourceArchives(ids.bucket),
                ),
                allow('LocateSourceBucket', ['s3:GetBucketAcl', 's3:GetBucketLocation'], getAtt(ids.bucket)),
                allow('PushPullRepository', REPOSITORY_PUSH_PULL_ACTIONS, getAtt(ids.repository)),
                allow('LoginToEcr', 'ecr:GetAuthorizationToken', '*'),
                allow(
                  'PullThroughEcrPublic',
                  [
                    'ecr:BatchCheckLayerAvailability',
                    'ecr:BatchGetImage',
                    'ecr:GetDownloadUrlForLayer',
                    'ecr:CreateRepository',
                    'ecr:BatchImportUpstreamImage',
                  ],
                  {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':ecr:',
                        { Ref: 'AWS::Region' },
                        ':',
                        { Ref: 'AWS::AccountId' },
                        ':repository/kiln-ecr-public/*',
                      ],
                    ],
                  },
                ),
                allow('ReadBuildSecrets', ['ssm:GetParameters', 'ssm:DeleteParameters'], secretParameters),
                allow('WriteBuildLogs', ['logs:CreateLogStream', 'logs:PutLogEvents'], getAtt(ids.logGroup)),
              ],
            },
          },
        ],
      });
      // Nothing is granted outside the role's own document (no CDK-generated default policy).
      synth.template.resourceCountIs('AWS::IAM::Policy', 0);
    });
  });

  it('caches ECR Public through the account’s registry (no Docker Hub, no credentials)', () => {
    synth.template.resourceCountIs('AWS::ECR::PullThroughCacheRule', 1);
    synth.template.hasResourceProperties('AWS::ECR::PullThroughCacheRule', {
      EcrRepositoryPrefix: 'kiln-ecr-public',
      UpstreamRegistry: 'ecr-public',
      UpstreamRegistryUrl: 'public.ecr.aws',
    });
  });

  describe('user policy', () => {
    it('is a customer-managed policy named per region', () => {
      synth.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        ManagedPolicyName: { 'Fn::Join': ['', ['kiln-user-', region]] },
      });
    });

    it('allows uploading archives, inspecting and running the projects, reading the build logs and reusing unchanged images, nothing more', () => {
      synth.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [
            allow(
              'UploadSourceArchives',
              ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
              sourceArchives(ids.bucket),
            ),
            allow('FindSourceBucket', 's3:ListBucket', getAtt(ids.bucket)),
            allow(
              'RunBuilds',
              [
                'codebuild:StartBuild',
                'codebuild:BatchGetBuilds',
                'codebuild:StopBuild',
                'codebuild:ListBuildsForProject',
              ],
              // Every architecture's, deployed or not: an undeployed one answers "not found".
              [projectArn('kiln'), projectArn('kiln-arm64')],
            ),
            allow('InspectBuildProjects', 'codebuild:BatchGetProjects', [
              projectArn('kiln'),
              projectArn('kiln-arm64'),
            ]),
            allow('ReadBuildLogs', 'logs:GetLogEvents', getAtt(ids.logGroup)),
            allow('ReuseUnchangedImages', ['ecr:BatchGetImage', 'ecr:PutImage'], getAtt(ids.repository)),
            allow('StoreBuildSecrets', ['ssm:PutParameter', 'ssm:DeleteParameters'], secretParameters),
          ],
        },
      });
    });
  });

  it('grants "*" only for ecr:GetAuthorizationToken, in every IAM document', () => {
    const statements = [
      ...statementsOf(synth, 'AWS::IAM::Role'),
      ...statementsOf(synth, 'AWS::IAM::ManagedPolicy'),
      ...statementsOf(synth, 'AWS::IAM::Policy'),
    ];
    const wildcard = statements.filter((statement) => [statement.Resource].flat().includes('*'));
    expect(wildcard.map((statement) => statement.Action)).toEqual(['ecr:GetAuthorizationToken']);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('outputs the bucket, project, repository URI, log group and the exported user policy ARN', () => {
    synth.template.hasOutput('SourceBucketName', { Value: { Ref: ids.bucket } });
    synth.template.hasOutput('ProjectNameX8664', { Value: { Ref: ids.project } });
    synth.template.hasOutput('RepositoryUri', {
      Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: ids.repository }])] },
    });
    synth.template.hasOutput('LogGroupName', { Value: { Ref: ids.logGroup } });
    synth.template.hasOutput('UserPolicyArn', {
      Value: { Ref: ids.policy },
      Export: { Name: USER_POLICY_EXPORT },
    });
    expect(Object.keys(synth.template.findOutputs('*'))).toHaveLength(5);
  });
});
