import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import {
  defaultCredentialSource,
  resolveCredentialBuildArgs,
} from '../../../runner/credentials/build-credentials';
import { ecrTokenSource } from '../../../runner/ecr/ecr-token-source';
import { mockAwsClient } from '../../helpers/iam/mocked-clients';

describe('ecrTokenSource', () => {
  const ecr = mockAwsClient(ECRClient, 'build');
  afterEach(() => ecr.reset());

  it('decodes the authorization token into user and password', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: Buffer.from('AWS:pass:with:colons').toString('base64') }],
    });
    await expect(ecrTokenSource('us-east-1')).resolves.toEqual({
      username: 'AWS',
      password: 'pass:with:colons',
    });
  });

  it('fails clearly when ECR returns no token', async () => {
    ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    await expect(ecrTokenSource('eu-west-1')).rejects.toThrow(
      'ECR returned no authorization token in eu-west-1',
    );
  });
});

describe('credential build args', () => {
  it('maps credentials and region to the five build args, without a session token when there is none', async () => {
    const args = await resolveCredentialBuildArgs(
      async () => ({ accessKeyId: 'AKIA1', secretAccessKey: 'secret' }),
      'ap-south-1',
      true,
    );
    expect(args).toEqual({
      AWS_ACCESS_KEY_ID: 'AKIA1',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_REGION: 'ap-south-1',
      AWS_DEFAULT_REGION: 'ap-south-1',
    });
  });

  it('outside CodeBuild, reads the default chain (here: environment variables)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'env-secret' });
    delete process.env.AWS_SESSION_TOKEN;
    try {
      const credentials = await defaultCredentialSource(false)();
      expect(credentials).toMatchObject({ accessKeyId: 'AKIAENV', secretAccessKey: 'env-secret' });
    } finally {
      process.env = saved;
    }
  });
});
