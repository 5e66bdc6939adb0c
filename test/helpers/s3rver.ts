// A real S3 server (s3rver) on 127.0.0.1, a random port and a temporary directory, for integration
// tests. s3rver lacks two calls kiln's upload relies on, added here in front of its router:
// ListMultipartUploads (to check that nothing is left half-done) and AbortMultipartUpload.
// Every request is recorded for the IAM check as the CLI's, except the test's own look-ups made
// through `observer()`.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { recordAwsCall } from './iam/recorded-calls';

/** The parts of s3rver (untyped, a Koa app) this helper uses. */
interface S3rverServer {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  middleware: unknown[];
  store: { getResourcePath(bucket: string, key: undefined, resource: string): string };
}
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => S3rverServer;

export interface S3rverHandle {
  endpoint: string;
  /** A client for this server: path-style, dummy credentials (the ones s3rver checks signatures with). */
  client(config?: Partial<S3ClientConfig>): S3Client;
  /** A client for the test's own checks: its calls are not kiln's, so the IAM check skips them. */
  observer(): S3Client;
  stop(): Promise<void>;
}

interface Ctx {
  method: string;
  get(header: string): string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  type: string;
  body: unknown;
}

export async function startS3rver(buckets: string[] = ['kiln-test-bucket']): Promise<S3rverHandle> {
  const directory = await mkdtemp(join(tmpdir(), 'kiln-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const uploadsDir = (bucket: string) => server.store.getResourcePath(bucket, undefined, 'uploads');
  server.middleware.unshift(async (ctx: Ctx, next: () => Promise<void>) => {
    const [bucket, ...keyParts] = ctx.path.split('/').filter((part) => part !== '');
    if (bucket && !ctx.get(OBSERVER_HEADER)) {
      const key = keyParts.length ? decodeURIComponent(keyParts.join('/')) : undefined;
      recordAwsCall('cli', 's3', s3Operation(ctx, key !== undefined), { Bucket: bucket, Key: key });
    }
    if (ctx.method === 'GET' && bucket && keyParts.length === 0 && 'uploads' in ctx.query) {
      ctx.type = 'application/xml';
      ctx.body = await listUploadsXml(bucket, uploadsDir(bucket));
      return;
    }
    if (ctx.method === 'DELETE' && bucket && typeof ctx.query.uploadId === 'string') {
      await rm(join(uploadsDir(bucket), ctx.query.uploadId), { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    await next();
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = (config: Partial<S3ClientConfig> = {}) =>
    new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      ...config,
    });
  return {
    endpoint,
    client,
    observer: () => {
      const observer = client();
      observer.middlewareStack.add(
        (next) => (args) => {
          (args.request as { headers: Record<string, string> }).headers[OBSERVER_HEADER] = '1';
          return next(args);
        },
        { step: 'build' },
      );
      return observer;
    },
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

const OBSERVER_HEADER = 'x-kiln-test-observer';

/** The S3 API operation a path-style request is (only those kiln and these tests send). */
function s3Operation(ctx: Ctx, hasKey: boolean): string {
  const has = (name: string) => name in ctx.query;
  switch (ctx.method) {
    case 'HEAD':
      return hasKey ? 'HeadObject' : 'HeadBucket';
    case 'GET':
      if (!hasKey) return has('uploads') ? 'ListMultipartUploads' : 'ListObjectsV2';
      return has('uploadId') ? 'ListParts' : 'GetObject';
    case 'PUT':
      if (!hasKey) return 'CreateBucket';
      return has('uploadId') ? 'UploadPart' : 'PutObject';
    case 'POST':
      return has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
    case 'DELETE':
      return has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
    default:
      return `Unknown${ctx.method}`;
  }
}

async function listUploadsXml(bucket: string, dir: string): Promise<string> {
  const ids = await readdir(dir).catch(() => [] as string[]);
  const uploads = await Promise.all(
    ids.map(async (id) => {
      const key = await readFile(join(dir, id, 'key'), 'utf8');
      return `<Upload><Key>${key}</Key><UploadId>${id}</UploadId></Upload>`;
    }),
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult><Bucket>${bucket}</Bucket>${uploads.join('')}</ListMultipartUploadsResult>`;
}
