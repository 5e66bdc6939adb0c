// The IAM check itself: the calls one remote build makes (recorded through the fakes, as every test's
// are) are all allowed by the shipped policies, and removing any one statement denies some of them.
import { startBuild } from '../../../lib/aws/codebuild';
import { FakeCodeBuild, streamOf } from '../../helpers/fakes/codebuild-model';
import { FakeLogStore } from '../../helpers/fakes/log-store';
import { deniedCalls } from '../../helpers/iam/policy-check';
import {
  type AwsCall,
  FAKE_ACCOUNT,
  FAKE_REGION,
  recordAwsCall,
  takeRecordedCalls,
} from '../../helpers/iam/recorded-calls';
import { recordRegistryRequest } from '../../helpers/iam/registry-calls';
import { MIRROR_REPOSITORY, pullSession, pushSession } from '../../helpers/iam/registry-sessions';
import { shippedPolicies, withoutStatement } from '../../helpers/iam/shipped-policies';

const BUCKET = `kiln-source-${FAKE_ACCOUNT}-${FAKE_REGION}`;
const KEY = `sources/${'a'.repeat(64)}.zip`;
const SECRET_PATH = '/kiln/secrets/0b7c9e1e-1111-4a55-9d6a-abcdefabcdef/';

/** The calls of `kiln build` then `kiln builds`, `logs` and `stop`, and what its build does. */
async function oneBuildsCalls(): Promise<AwsCall[]> {
  const logs = new FakeLogStore();
  const codebuild = new FakeCodeBuild(logs);
  try {
    for (const operation of ['HeadBucket', 'HeadObject', 'CreateMultipartUpload', 'AbortMultipartUpload']) {
      recordAwsCall('cli', 's3', operation, {
        Bucket: BUCKET,
        ...(operation === 'HeadBucket' ? {} : { Key: KEY }),
      });
    }
    const infra = {
      account: FAKE_ACCOUNT,
      region: FAKE_REGION,
      bucket: BUCKET,
      project: 'kiln',
      architecture: 'x86_64' as const,
      repository: 'kiln',
      logGroup: '/kiln/builds',
    };
    const client = {
      send: async (command: { input: object; constructor: { name: string } }) =>
        codebuild.handle(
          command.constructor.name.replace(/Command$/, ''),
          command.input as Record<string, unknown>,
        ),
    };
    const build = await startBuild(client as never, {
      infra,
      sourceKey: KEY,
      projectName: 'demo',
      buildArgs: {},
      secrets: { path: SECRET_PATH, parameters: { NPM_TOKEN: `${SECRET_PATH}NPM_TOKEN` } },
    });
    codebuild.handle('BatchGetProjects', { names: ['kiln'] });
    // --secret: kiln stores and deletes the parameter; the runner deletes it once CodeBuild read it.
    recordAwsCall('cli', 'ssm', 'PutParameter', { Name: `${SECRET_PATH}NPM_TOKEN` });
    recordAwsCall('cli', 'ssm', 'DeleteParameters', { Names: [`${SECRET_PATH}NPM_TOKEN`] });
    recordAwsCall('build', 'ssm', 'DeleteParameters', { Names: [`${SECRET_PATH}NPM_TOKEN`] });
    codebuild.handle('ListBuildsForProject', { projectName: 'kiln-arm64' });
    codebuild.handle('BatchGetBuilds', { ids: [build.id] });
    codebuild.handle('StopBuild', { id: build.id });
    logs.createStream('/kiln/builds', streamOf(build));
    logs.getLogEvents({ logGroupName: '/kiln/builds', logStreamName: streamOf(build) });
    // An unchanged re-run: the image built from the same input, found and tagged instead of a build.
    for (const operation of ['BatchGetImage', 'PutImage']) {
      recordAwsCall('cli', 'ecr', operation, { repositoryName: 'kiln' });
    }
    recordAwsCall('build', 'ecr', 'GetAuthorizationToken', {});
    // docker's registry requests, as ECR authorizes them: the base image pulled through the ECR
    // Public pull-through cache, the stage cache pulled, the image pushed.
    for (const request of [
      ...pullSession(MIRROR_REPOSITORY, '22-bookworm-slim'),
      ...pullSession('kiln', 'cache-demo-x86_64-deps'),
      ...pushSession('kiln', 'demo-2026-12-01T00-00-00Z'),
    ]) {
      recordRegistryRequest('build', request);
    }
    return takeRecordedCalls();
  } finally {
    codebuild.dispose();
  }
}

test('every call of a remote build is allowed by the shipped policies', async () => {
  expect(await deniedCalls(await oneBuildsCalls(), shippedPolicies())).toEqual([]);
});

describe.each([
  ...shippedPolicies().cli.Statement.map((statement) => statement.Sid!),
  ...shippedPolicies().build.Statement.map((statement) => statement.Sid!),
])('without the statement %s', (sid) => {
  test('the check denies a call kiln makes', async () => {
    const denied = await deniedCalls(await oneBuildsCalls(), withoutStatement(shippedPolicies(), sid));
    expect(denied.length).toBeGreaterThan(0);
  });
});
