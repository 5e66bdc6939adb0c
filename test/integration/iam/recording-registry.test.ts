// The recording registry the e2e tests talk to (test/helpers/iam/recording-registry.ts), in front of
// a loopback stand-in for the registry: it forwards every request of a known client, records only
// the build role's (as ECR actions on repository ARNs), refuses the unauthenticated, and a push it
// recorded fails the IAM check once the build role's push statement is gone.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deniedCalls } from '../../helpers/iam/policy-check';
import { takeRecordedCalls } from '../../helpers/iam/recorded-calls';
import {
  basicAuthorization,
  type RecordingRegistry,
  type RegistryClient,
  startRecordingRegistry,
} from '../../helpers/iam/recording-registry';
import { shippedPolicies, withoutStatement } from '../../helpers/iam/shipped-policies';

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  bytes: number;
}

let upstream: Server;
let received: Received[] = [];
let registry: RecordingRegistry;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    request.on('end', () => {
      const { method = 'GET', url = '/' } = request;
      received.push({ method, url, authorization: request.headers.authorization, bytes });
      if (method === 'POST') {
        // As the registry does: an absolute location built from the Host header it was sent.
        response.writeHead(202, {
          location: `http://${request.headers.host}/v2/kiln/blobs/uploads/u1?_state=s`,
        });
      } else if (method === 'PATCH') response.writeHead(202);
      else if (method === 'PUT') response.writeHead(201);
      else response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
      response.end(method === 'GET' ? '{"schemaVersion":2}' : undefined);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  registry = await startRecordingRegistry(`127.0.0.1:${(upstream.address() as AddressInfo).port}`);
});

afterAll(async () => {
  await registry.close();
  await new Promise((resolve) => upstream.close(resolve));
});

beforeEach(() => {
  received = [];
});

function send(client: RegistryClient | undefined, method: string, path: string, body?: Uint8Array) {
  return fetch(`http://${registry.address}${path}`, {
    method,
    headers: client ? { authorization: basicAuthorization(registry.credentials[client]) } : {},
    body,
  });
}

test('a request without known credentials gets the challenge and never reaches the registry', async () => {
  const anonymous = await send(undefined, 'GET', '/v2/kiln/manifests/app-1');
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
  const forged = await fetch(`http://${registry.address}/v2/kiln/manifests/app-1`, {
    headers: { authorization: basicAuthorization({ username: 'build', password: 'guessed' }) },
  });
  expect(forged.status).toBe(401);
  expect(received).toEqual([]);
  expect(takeRecordedCalls()).toEqual([]);
});

test("the harness's requests are forwarded, not recorded, and the registry never sees credentials", async () => {
  const response = await send('harness', 'GET', '/v2/kiln-ecr-public/docker/library/node/manifests/22');
  expect(response.status).toBe(200);
  expect(await response.text()).toBe('{"schemaVersion":2}');
  expect(received).toEqual([
    {
      method: 'GET',
      url: '/v2/kiln-ecr-public/docker/library/node/manifests/22',
      authorization: undefined,
      bytes: 0,
    },
  ]);
  expect(takeRecordedCalls()).toEqual([]);
});

/** A chunked push of one blob and its manifest, as docker does it, with the build role's credentials. */
async function buildPush(layer: Uint8Array): Promise<void> {
  const digest = `sha256:${'4'.repeat(64)}`;
  expect((await send('build', 'HEAD', `/v2/kiln/blobs/${digest}`)).status).toBe(200);
  const started = await send('build', 'POST', '/v2/kiln/blobs/uploads/');
  expect(started.status).toBe(202);
  const location = new URL(started.headers.get('location')!);
  expect(location.host).toBe(registry.address);
  const path = `${location.pathname}${location.search}`;
  expect((await send('build', 'PATCH', path, layer)).status).toBe(202);
  expect((await send('build', 'PUT', `${path}&digest=${digest}`)).status).toBe(201);
  const manifest = new TextEncoder().encode('{"schemaVersion":2}');
  expect((await send('build', 'PUT', '/v2/kiln/manifests/app-1', manifest)).status).toBe(201);
}

test("the build role's push is forwarded intact and recorded as the ECR actions of a push", async () => {
  const layer = randomBytes(3 * 1024 * 1024);
  await buildPush(layer);
  expect(received.map(({ method, bytes }) => [method, bytes])).toEqual([
    ['HEAD', 0],
    ['POST', 0],
    ['PATCH', layer.length],
    ['PUT', 0],
    ['PUT', 19],
  ]);
  const calls = takeRecordedCalls();
  const repository = 'arn:aws:ecr:us-east-1:123456789012:repository/kiln';
  expect(calls).toEqual(
    [
      'BatchCheckLayerAvailability',
      'InitiateLayerUpload',
      'UploadLayerPart',
      'CompleteLayerUpload',
      'PutImage',
    ].map((operation) => ({ principal: 'build', action: `ecr:${operation}`, resource: repository })),
  );
  expect(await deniedCalls(calls, shippedPolicies())).toEqual([]);
});

test('without the build role push statement, the recorded push fails the check', async () => {
  await buildPush(randomBytes(1024));
  const denied = await deniedCalls(
    takeRecordedCalls(),
    withoutStatement(shippedPolicies(), 'PushPullRepository'),
  );
  expect(denied.map((call) => call.action)).toEqual([
    'ecr:BatchCheckLayerAvailability',
    'ecr:InitiateLayerUpload',
    'ecr:UploadLayerPart',
    'ecr:CompleteLayerUpload',
    'ecr:PutImage',
  ]);
});

test('a build request with no ECR mapping is still forwarded, and reported', async () => {
  expect((await send('build', 'GET', '/v2/_catalog')).status).toBe(200);
  expect(registry.takeUnmapped()).toEqual([
    'registry request GET /v2/_catalog has no ECR mapping; add one in test/helpers/iam/registry-calls.ts',
  ]);
  expect(takeRecordedCalls()).toEqual([]);
});
