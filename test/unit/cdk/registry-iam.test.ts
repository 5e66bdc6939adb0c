// Registry traffic in the IAM check: each registry API request maps to the ECR actions ECR authorizes
// it as, on the repository's ARN, and the build role's docker push, pull and pull through the cache
// are allowed by the shipped policy, and denied once the statement that grants them is removed.
import { deniedCalls } from '../../helpers/iam/policy-check';
import { type AwsCall, takeRecordedCalls } from '../../helpers/iam/recorded-calls';
import {
  type RegistryRequest,
  recordRegistryRequest,
  registryCalls,
  UnmappedRegistryRequest,
} from '../../helpers/iam/registry-calls';
import {
  MIRROR_REPOSITORY,
  mountingPushSession,
  pullSession,
  pushSession,
} from '../../helpers/iam/registry-sessions';
import {
  type ShippedPolicies,
  shippedPolicies,
  withoutStatement as without,
} from '../../helpers/iam/shipped-policies';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const UPLOAD = '0d9c2a6e-5b8f-4c3e-8f1a-7e6d5c4b3a21';

describe('a registry request is authorized as', () => {
  test.each<[string, string, string, boolean, [string, string][]]>([
    ['the ping', 'GET', '/v2/', false, []],
    ['a manifest read by tag', 'GET', '/v2/kiln/manifests/app-1', false, [['BatchGetImage', 'kiln']]],
    [
      'a manifest existence check',
      'HEAD',
      `/v2/kiln/manifests/${DIGEST}`,
      false,
      [['BatchGetImage', 'kiln']],
    ],
    ['a manifest put', 'PUT', '/v2/kiln/manifests/app-1', true, [['PutImage', 'kiln']]],
    ['a manifest delete', 'DELETE', `/v2/kiln/manifests/${DIGEST}`, false, [['BatchDeleteImage', 'kiln']]],
    ['a layer download', 'GET', `/v2/kiln/blobs/${DIGEST}`, false, [['GetDownloadUrlForLayer', 'kiln']]],
    [
      'a layer existence check',
      'HEAD',
      `/v2/kiln/blobs/${DIGEST}`,
      false,
      [['BatchCheckLayerAvailability', 'kiln']],
    ],
    ['an upload start', 'POST', '/v2/kiln/blobs/uploads/', false, [['InitiateLayerUpload', 'kiln']]],
    [
      'an upload chunk',
      'PATCH',
      `/v2/kiln/blobs/uploads/${UPLOAD}?_state=x`,
      true,
      [['UploadLayerPart', 'kiln']],
    ],
    [
      'an upload completion',
      'PUT',
      `/v2/kiln/blobs/uploads/${UPLOAD}?digest=${DIGEST}`,
      false,
      [['CompleteLayerUpload', 'kiln']],
    ],
    [
      'an upload completion with the last chunk',
      'PUT',
      `/v2/kiln/blobs/uploads/${UPLOAD}?digest=${DIGEST}`,
      true,
      [
        ['UploadLayerPart', 'kiln'],
        ['CompleteLayerUpload', 'kiln'],
      ],
    ],
    [
      'a monolithic upload',
      'POST',
      `/v2/kiln/blobs/uploads/?digest=${DIGEST}`,
      true,
      [
        ['InitiateLayerUpload', 'kiln'],
        ['UploadLayerPart', 'kiln'],
        ['CompleteLayerUpload', 'kiln'],
      ],
    ],
    [
      'a layer mounted from another repository',
      'POST',
      `/v2/kiln/blobs/uploads/?mount=${DIGEST}&from=kiln-ecr-public%2Fdocker%2Flibrary%2Fnode`,
      false,
      [
        ['InitiateLayerUpload', 'kiln'],
        ['GetDownloadUrlForLayer', 'kiln-ecr-public/docker/library/node'],
      ],
    ],
    ['a tag listing', 'GET', '/v2/kiln/tags/list', false, [['ListImages', 'kiln']]],
    [
      'a manifest read through the pull-through cache (which may create and import)',
      'GET',
      '/v2/kiln-ecr-public/docker/library/node/manifests/22-bookworm-slim',
      false,
      [
        ['BatchGetImage', 'kiln-ecr-public/docker/library/node'],
        ['BatchImportUpstreamImage', 'kiln-ecr-public/docker/library/node'],
        ['CreateRepository', 'kiln-ecr-public/docker/library/node'],
      ],
    ],
    [
      'a layer read through the pull-through cache',
      'GET',
      `/v2/kiln-ecr-public/docker/library/node/blobs/${DIGEST}`,
      false,
      [['GetDownloadUrlForLayer', 'kiln-ecr-public/docker/library/node']],
    ],
  ])('%s (%s %s)', (_kind, method, url, hasBody, expected) => {
    expect(registryCalls({ method, url, hasBody })).toEqual(
      expected.map(([operation, repositoryName]) => ({ operation, repositoryName })),
    );
  });

  test.each([
    ['GET', '/v2/_catalog'],
    ['GET', `/v2/kiln/blobs/uploads/${UPLOAD}`],
    ['DELETE', `/v2/kiln/blobs/uploads/${UPLOAD}`],
    ['POST', '/v2/kiln/manifests/app-1'],
  ])('nothing known: %s %s is reported, never passed unchecked', (method, url) => {
    expect(() => registryCalls({ method, url, hasBody: false })).toThrow(UnmappedRegistryRequest);
  });

  test('the recorded call names the repository ARN in the fakes account', () => {
    recordRegistryRequest('build', { method: 'PUT', url: '/v2/kiln/manifests/app-1', hasBody: true });
    expect(takeRecordedCalls()).toEqual([
      {
        principal: 'build',
        action: 'ecr:PutImage',
        resource: 'arn:aws:ecr:us-east-1:123456789012:repository/kiln',
      },
    ]);
  });
});

/** `requests` as the build role made them, for the check. */
function asBuild(requests: RegistryRequest[]): AwsCall[] {
  for (const request of requests) recordRegistryRequest('build', request);
  return takeRecordedCalls();
}

function withoutStatement(sid: string): ShippedPolicies {
  expect(shippedPolicies().build.Statement.map((statement) => statement.Sid)).toContain(sid);
  return without(shippedPolicies(), sid);
}

const denied = async (requests: RegistryRequest[], policies: ShippedPolicies) =>
  (await deniedCalls(asBuild(requests), policies)).map((call) => `${call.action} ${call.resource}`);

test('the build role may push to and pull from the kiln repository, pull through the cache and mount from it', async () => {
  const all = [
    ...pushSession('kiln', 'app-1'),
    ...pullSession('kiln', 'cache-app-x86_64-deps'),
    ...pullSession(MIRROR_REPOSITORY, '22-bookworm-slim'),
    ...mountingPushSession('kiln', MIRROR_REPOSITORY),
  ];
  expect(await denied(all, shippedPolicies())).toEqual([]);
});

test.each([
  {
    what: 'a push to the kiln repository',
    sid: 'PushPullRepository',
    repository: 'kiln',
    requests: pushSession('kiln', 'app-1'),
    actions: [
      'BatchCheckLayerAvailability',
      'InitiateLayerUpload',
      'UploadLayerPart',
      'CompleteLayerUpload',
      'PutImage',
    ],
  },
  {
    what: 'a base image pull through the cache',
    sid: 'PullThroughEcrPublic',
    repository: MIRROR_REPOSITORY,
    requests: pullSession(MIRROR_REPOSITORY, '22-bookworm-slim'),
    actions: ['BatchGetImage', 'BatchImportUpstreamImage', 'CreateRepository', 'GetDownloadUrlForLayer'],
  },
])('without the statement $sid, $what is denied', async ({ sid, repository, requests, actions }) => {
  const arn = `arn:aws:ecr:us-east-1:123456789012:repository/${repository}`;
  expect(await denied(requests, withoutStatement(sid))).toEqual(
    actions.map((action) => `ecr:${action} ${arn}`),
  );
});

test('a repository outside the stack is denied to the build role', async () => {
  expect(await denied(pullSession('someone-else', '1.0.0'), shippedPolicies())).toContain(
    'ecr:BatchGetImage arn:aws:ecr:us-east-1:123456789012:repository/someone-else',
  );
});
