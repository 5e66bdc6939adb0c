import { createAwsClients, s3ForcePathStyle } from '../../../../lib/aws/clients';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

test('path-style S3 with a custom S3 endpoint (s3rver, MinIO) or when asked', () => {
  expect(s3ForcePathStyle({})).toBe(false);
  expect(s3ForcePathStyle({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4568' })).toBe(true);
  expect(s3ForcePathStyle({ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toBe(true);
  expect(s3ForcePathStyle({ KILN_S3_FORCE_PATH_STYLE: '1' })).toBe(true);
});

test('the region comes from --region / config first, then the SDK chain', async () => {
  process.env.AWS_REGION = 'eu-central-1';
  expect((await createAwsClients({ region: 'ap-south-1' })).region).toBe('ap-south-1');
  const fromChain = await createAwsClients({});
  expect(fromChain.region).toBe('eu-central-1');
  expect(await fromChain.codebuild.config.region()).toBe('eu-central-1');
});

test('no region anywhere is a clear error', async () => {
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  delete process.env.AWS_PROFILE;
  process.env.AWS_CONFIG_FILE = '/nonexistent/kiln-test-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/kiln-test-credentials';
  await expect(createAwsClients({})).rejects.toMatchObject({
    message: 'no AWS region configured',
    hint: 'Pass --region, set remote.region in the kiln config, or export AWS_REGION.',
  });
});

test('the CloudWatch Logs and SSM SDKs load on first use only (an unchanged re-run never needs them)', async () => {
  const loaded: string[] = [];
  for (const name of ['@aws-sdk/client-cloudwatch-logs', '@aws-sdk/client-ssm']) {
    jest.doMock(name, () => {
      loaded.push(name);
      return jest.requireActual(name);
    });
  }
  try {
    let create!: typeof createAwsClients;
    jest.isolateModules(() => {
      ({ createAwsClients: create } = require('../../../../lib/aws/clients'));
    });
    const clients = await create({ region: 'eu-west-1' });
    await clients.ecr.config.region();
    await clients.codebuild.config.region();
    expect(loaded).toEqual([]);
    expect(await clients.logs.config.region()).toBe('eu-west-1');
    expect(clients.logs).toBe(clients.logs);
    expect(loaded).toEqual(['@aws-sdk/client-cloudwatch-logs']);
    expect(await clients.ssm.config.region()).toBe('eu-west-1');
    expect(loaded).toEqual(['@aws-sdk/client-cloudwatch-logs', '@aws-sdk/client-ssm']);
  } finally {
    jest.dontMock('@aws-sdk/client-cloudwatch-logs');
    jest.dontMock('@aws-sdk/client-ssm');
  }
});
