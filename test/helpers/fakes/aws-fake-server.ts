// CodeBuild, CloudWatch Logs, ECR (images by tag) and STS on one loopback HTTP server, speaking the real wire protocols
// (AWS JSON 1.1 by X-Amz-Target; STS's query protocol with XML answers), so the CLI runs unmodified
// with AWS_ENDPOINT_URL_CODEBUILD / _CLOUDWATCH_LOGS / _ECR / _STS pointing here.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import { FAKE_ACCOUNT, recordAwsCall } from '../iam/recorded-calls';
import { FakeCodeBuild } from './codebuild-model';
import { FakeAwsError } from './fake-aws-error';
import { FakeLogStore } from './log-store';

export { FAKE_ACCOUNT };

export interface AwsFake {
  url: string;
  codebuild: FakeCodeBuild;
  logs: FakeLogStore;
  /**
   * ECR images by tag. A build started with KILN_INPUT_TAG adds that tag, as the runner's push would;
   * `ecrCalls` counts the ECR requests by operation.
   */
  ecr: Map<string, { digest: string; manifest: string }>;
  ecrCalls: Record<string, number>;
  /** SSM Parameter Store: name → PutParameter input (what `kiln build --secret` stored). */
  parameters: Map<string, Record<string, unknown>>;
  /** When set, STS GetCallerIdentity fails with this error code (ExpiredToken, AccessDenied…). */
  stsError: string | undefined;
  /**
   * While set, every request to `service` (its X-Amz-Target prefix: `Logs_20140328`,
   * `CodeBuild_20161006`) fails before reaching the model: `500` answers InternalFailure,
   * `hang-up` closes the connection without an answer (the SDK's "socket hang up").
   */
  outage: { service: string; failure: '500' | 'hang-up' } | undefined;
  /** Requests an outage failed. */
  outageRequests: number;
  /** Environment for a CLI process that should talk to this fake (plus S3, given separately). */
  env(s3Endpoint?: string): NodeJS.ProcessEnv;
  close(): Promise<void>;
}

export async function startAwsFake(): Promise<AwsFake> {
  const logs = new FakeLogStore();
  const codebuild = new FakeCodeBuild(logs);
  const fake: Partial<AwsFake> = {
    logs,
    codebuild,
    stsError: undefined,
    outage: undefined,
    outageRequests: 0,
    ecr: new Map(),
    ecrCalls: {},
    parameters: new Map(),
  };
  const server = createServer((request, response) => {
    void readBody(request).then((body) => respond(fake as AwsFake, request, body, response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    url,
    env: (s3Endpoint?: string) => ({
      AWS_ENDPOINT_URL_CODEBUILD: url,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url,
      AWS_ENDPOINT_URL_STS: url,
      AWS_ENDPOINT_URL_ECR: url,
      AWS_ENDPOINT_URL_SSM: url,
      ...(s3Endpoint ? { AWS_ENDPOINT_URL_S3: s3Endpoint } : {}),
      AWS_REGION: 'us-east-1',
      // s3rver checks signatures made with these; the other fakes accept anything.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      // Never let the credential chain probe the instance metadata address.
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    close: async () => {
      codebuild.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  }) as AwsFake;
}

function respond(fake: AwsFake, request: IncomingMessage, body: string, response: ServerResponse): void {
  const target = request.headers['x-amz-target'];
  if (typeof target !== 'string') {
    respondSts(fake, body, response);
    return;
  }
  const [service, operation = ''] = target.split('.');
  const outage = fake.outage?.service === service ? fake.outage?.failure : undefined;
  if (outage) fake.outageRequests++;
  if (outage === 'hang-up') {
    request.socket.destroy();
    return;
  }
  try {
    if (outage) throw new FakeAwsError('InternalFailure', 'fake outage', 500);
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    let output: unknown;
    if (service === 'CodeBuild_20161006') {
      output = fake.codebuild.handle(operation, input);
      if (operation === 'StartBuild') pushInputTag(fake, input);
    } else if (service === 'AmazonEC2ContainerRegistry_V20150921')
      output = respondEcr(fake, operation, input);
    else if (service === 'AmazonSSM') output = respondSsm(fake, operation, input);
    else if (service === 'Logs_20140328' && operation === 'GetLogEvents')
      output = fake.logs.getLogEvents(input as unknown as GetLogEventsCommandInput);
    else throw new FakeAwsError('UnknownOperationException', `fake does not implement ${target}`);
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(output, epochSeconds));
  } catch (error) {
    const failure =
      error instanceof FakeAwsError ? error : new FakeAwsError('InternalFailure', String(error), 500);
    response.writeHead(failure.statusCode, {
      'content-type': 'application/x-amz-json-1.1',
      'x-amzn-errortype': failure.code,
    });
    response.end(JSON.stringify({ __type: failure.code, message: failure.message }));
  }
}

function pushInputTag(fake: AwsFake, input: Record<string, unknown>): void {
  const variables = (input.environmentVariablesOverride ?? []) as { name: string; value: string }[];
  const tag = variables.find((variable) => variable.name === 'KILN_INPUT_TAG')?.value;
  // Each build's image differs (several architectures from one archive each push their own).
  if (tag)
    fake.ecr.set(tag, { digest: `sha256:${sha256(tag)}`, manifest: `{"schemaVersion":2,"tag":"${tag}"}` });
}

function respondEcr(fake: AwsFake, operation: string, input: Record<string, unknown>): unknown {
  fake.ecrCalls[operation] = (fake.ecrCalls[operation] ?? 0) + 1;
  recordAwsCall('cli', 'ecr', operation, input);
  if (operation === 'BatchGetImage') {
    const ids = input.imageIds as { imageTag: string }[];
    const found = ids.flatMap(({ imageTag }) => {
      const image = fake.ecr.get(imageTag);
      return image
        ? [{ imageId: { imageTag, imageDigest: image.digest }, imageManifest: image.manifest }]
        : [];
    });
    return { images: found, failures: found.length ? [] : [{ failureCode: 'ImageNotFound' }] };
  }
  if (operation === 'PutImage') {
    const manifest = input.imageManifest as string;
    const known = [...fake.ecr.values()].find((entry) => entry.manifest === manifest);
    // A new image index is accepted when every image it points at exists, as ECR checks.
    const children = (JSON.parse(manifest) as { manifests?: { digest: string }[] }).manifests;
    const digests = new Set([...fake.ecr.values()].map((entry) => entry.digest));
    const image =
      known ??
      (children?.every((child) => digests.has(child.digest))
        ? { digest: `sha256:${sha256(manifest)}`, manifest }
        : undefined);
    if (!image) throw new FakeAwsError('ImageNotFoundException', 'no image has this manifest');
    fake.ecr.set(input.imageTag as string, image);
    return { image: {} };
  }
  throw new FakeAwsError('UnknownOperationException', `fake does not implement ECR ${operation}`);
}

function respondSsm(fake: AwsFake, operation: string, input: Record<string, unknown>): unknown {
  recordAwsCall('cli', 'ssm', operation, input);
  if (operation === 'PutParameter') {
    fake.parameters.set(input.Name as string, input);
    return { Version: 1, Tier: input.Tier };
  }
  if (operation === 'DeleteParameters') {
    const names = input.Names as string[];
    const deleted = names.filter((name) => fake.parameters.delete(name));
    return { DeletedParameters: deleted, InvalidParameters: names.filter((name) => !deleted.includes(name)) };
  }
  throw new FakeAwsError('UnknownOperationException', `fake does not implement SSM ${operation}`);
}

function respondSts(fake: AwsFake, body: string, response: ServerResponse): void {
  const action = new URLSearchParams(body).get('Action');
  response.setHeader('content-type', 'text/xml');
  if (fake.stsError || action !== 'GetCallerIdentity') {
    const code = fake.stsError ?? 'InvalidAction';
    response.writeHead(code === 'AccessDenied' ? 403 : 400);
    response.end(
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
        `<Code>${code}</Code><Message>${code} (fake STS)</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
    );
    return;
  }
  response.writeHead(200);
  response.end(
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
      `<Arn>arn:aws:iam::${FAKE_ACCOUNT}:user/dev</Arn><UserId>AIDAFAKE</UserId><Account>${FAKE_ACCOUNT}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
  );
}

/** AWS JSON 1.1 sends timestamps as epoch seconds. */
function epochSeconds(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  return raw instanceof Date ? raw.getTime() / 1000 : value;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
