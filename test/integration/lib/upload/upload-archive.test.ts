import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { kilnConfigSchema } from '../../../../contract/config-schema';
import { type PackedArchive, packProject } from '../../../../lib/pack/pack-project';
import { PART_SIZE, uploadArchive } from '../../../../lib/upload/upload-archive';
import { makeProject, removeProject } from '../../../helpers/project-fixture';
import { type S3rverHandle, startS3rver } from '../../../helpers/s3rver';

const BUCKET = 'kiln-test-bucket';

/** The commands a client sends out, once per command whatever the retries (after kiln's own guards). */
function countCommands(client: S3Client): string[] {
  const sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'countCommands', priority: 'low' },
  );
  return sent;
}

/** Fails the nth call (default: every call) of a command with an S3-shaped error, before it is sent. */
function failCommand(
  client: S3Client,
  commandName: string,
  error: { name: string; message: string; status: number },
  nth?: number,
): void {
  let calls = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName && (nth === undefined || ++calls === nth)) {
        throw Object.assign(new Error(error.message), {
          name: error.name,
          $metadata: { httpStatusCode: error.status },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: `fail${commandName}` },
  );
}

describe('uploadArchive against s3rver', () => {
  let s3rver: S3rverHandle;
  let small: PackedArchive;
  let large: PackedArchive;
  const dirs: string[] = [];
  const notes: string[] = [];
  const onNote = (text: string) => notes.push(text);

  beforeAll(async () => {
    s3rver = await startS3rver([BUCKET]);
    const description = { kilnVersion: '0.0.0', name: 'demo', config: kilnConfigSchema.parse({}), git: null };
    const runner = await makeProject({ 'runner.cjs': '// runner\n', 'runner.cjs.map': '{}' });
    const smallDir = await makeProject({ 'index.js': 'console.log(1);\n' });
    // Random bytes do not compress: the archive spans several parts.
    const largeDir = await makeProject({ 'blob.bin': randomBytes(PART_SIZE * 2 + 1024 * 1024) });
    dirs.push(runner, smallDir, largeDir);
    const runnerBundlePath = `${runner}/runner.cjs`;
    small = await packProject({ projectDir: smallDir, description, runnerBundlePath });
    large = await packProject({ projectDir: largeDir, description, runnerBundlePath });
  });
  afterAll(async () => {
    await s3rver.stop();
    await Promise.all([...dirs, small.path, large.path].map(removeProject));
  });
  beforeEach(() => {
    notes.length = 0;
  });

  async function exists(client: S3Client, key: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      return true;
    } catch {
      return false;
    }
  }

  async function incompleteUploads(client: S3Client): Promise<number> {
    const listed = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    return listed.Uploads?.length ?? 0;
  }

  it('puts a new archive under sources/<sha256>.zip, then skips it when unchanged (one HEAD, 0 bytes)', async () => {
    const client = s3rver.client();
    const sent = countCommands(client);
    const first = await uploadArchive({ s3: client, bucket: BUCKET, archive: small, onNote });
    expect(first).toEqual({ key: `sources/${small.sha256}.zip`, skipped: false });
    expect(sent).toEqual(['HeadObjectCommand', 'PutObjectCommand']);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: first.key }));
    expect(head.ContentLength).toBe(small.size);
    expect(head.Metadata?.sha256).toBe(small.sha256);

    sent.length = 0;
    const progress: Array<{ loaded: number; total: number }> = [];
    const second = await uploadArchive({
      s3: client,
      bucket: BUCKET,
      archive: small,
      onNote,
      onProgress: (p) => progress.push(p),
    });
    expect(second).toEqual({ key: first.key, skipped: true });
    expect(sent).toEqual(['HeadObjectCommand']);
    expect(notes).toEqual(['source unchanged, upload skipped']);
    expect(progress).toEqual([{ loaded: small.size, total: small.size }]);
  });

  it('uploads an archive larger than a part as a multipart upload, reporting progress', async () => {
    const client = s3rver.client();
    const sent = countCommands(client);
    const progress: number[] = [];
    const result = await uploadArchive({
      s3: client,
      bucket: BUCKET,
      archive: large,
      onNote,
      onProgress: (p) => progress.push(p.loaded),
    });
    expect(result.skipped).toBe(false);
    expect(sent.filter((name) => name === 'UploadPartCommand')).toHaveLength(3);
    expect(sent).toContain('CreateMultipartUploadCommand');
    expect(sent).toContain('CompleteMultipartUploadCommand');
    expect(progress.at(-1)).toBe(large.size);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: result.key }));
    expect(head.ContentLength).toBe(large.size);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: result.key }));
  });

  it('aborts the multipart upload when a part fails: no object, no upload left', async () => {
    const client = s3rver.client();
    const sent = countCommands(client);
    failCommand(
      client,
      'UploadPartCommand',
      { name: 'InvalidPart', message: 'part 2 rejected', status: 400 },
      2,
    );
    await expect(uploadArchive({ s3: client, bucket: BUCKET, archive: large, onNote })).rejects.toThrow(
      'part 2 rejected',
    );
    expect(sent).toContain('AbortMultipartUploadCommand');
    expect(sent).not.toContain('CompleteMultipartUploadCommand');
    expect(await exists(client, `sources/${large.sha256}.zip`)).toBe(false);
    expect(await incompleteUploads(client)).toBe(0);
  });

  it('aborts cleanly on the abort signal (Ctrl-C): no object, no upload left', async () => {
    const client = s3rver.client();
    const sent = countCommands(client);
    const controller = new AbortController();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'UploadPartCommand') controller.abort();
        return result;
      },
      { step: 'initialize', name: 'abortAfterFirstPart' },
    );
    await expect(
      uploadArchive({ s3: client, bucket: BUCKET, archive: large, onNote, signal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(sent).toContain('AbortMultipartUploadCommand');
    expect(sent).not.toContain('CompleteMultipartUploadCommand');
    expect(await exists(client, `sources/${large.sha256}.zip`)).toBe(false);
    expect(await incompleteUploads(client)).toBe(0);
  });

  it('uploads again over an object of the wrong size under the same key (an interrupted foreign copy)', async () => {
    const client = s3rver.client();
    const archive = { ...small, sha256: 'e'.repeat(64) };
    const key = `sources/${archive.sha256}.zip`;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'truncated' }));
    const result = await uploadArchive({ s3: client, bucket: BUCKET, archive, onNote });
    expect(result).toEqual({ key, skipped: false });
    expect((await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).ContentLength).toBe(
      small.size,
    );
    expect(notes).toEqual([]);
  });

  it('retries a part that fails with a transient server error (SDK retry strategy)', async () => {
    const client = s3rver.client();
    let attemptsOfPart2 = 0;
    type Args = { input: { PartNumber?: number } };
    const failPart2Once = (next: (args: Args) => Promise<unknown>) => async (args: Args) => {
      if (args.input.PartNumber === 2 && ++attemptsOfPart2 === 1) {
        throw Object.assign(new Error('We encountered an internal error. Please try again.'), {
          name: 'InternalError',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
        });
      }
      return next(args);
    };
    // Below the retry middleware: each attempt passes here.
    client.middlewareStack.addRelativeTo(failPart2Once as never, {
      relation: 'after',
      toMiddleware: 'retryMiddleware',
      name: 'failPart2Once',
    });
    const result = await uploadArchive({ s3: client, bucket: BUCKET, archive: large, onNote });
    expect(attemptsOfPart2).toBe(2);
    expect(await exists(client, result.key)).toBe(true);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: result.key }));
  });

  it('uploads when HEAD is forbidden (no s3:ListBucket: S3 answers 403 for a missing key)', async () => {
    const client = s3rver.client();
    failCommand(client, 'HeadObjectCommand', { name: 'Forbidden', message: 'Forbidden', status: 403 });
    const archive = { ...small, sha256: 'd'.repeat(64) };
    expect(await uploadArchive({ s3: client, bucket: BUCKET, archive, onNote })).toEqual({
      key: `sources/${archive.sha256}.zip`,
      skipped: false,
    });
  });

  it('says which permission is missing when access is denied', async () => {
    const client = s3rver.client();
    failCommand(client, 'PutObjectCommand', { name: 'AccessDenied', message: 'Access Denied', status: 403 });
    const archive = { ...small, sha256: 'f'.repeat(64) };
    const error = await uploadArchive({ s3: client, bucket: BUCKET, archive, onNote }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      message: `access denied uploading the source archive to s3://${BUCKET}/sources/${'f'.repeat(64)}.zip`,
      hint: expect.stringContaining('s3:PutObject and s3:GetObject on sources/*'),
    });
  });

  it('says how to create the infrastructure when the bucket does not exist', async () => {
    const error = await uploadArchive({
      s3: s3rver.client(),
      bucket: 'no-such-bucket',
      archive: small,
      onNote,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      message: 'kiln infrastructure not found: the source bucket no-such-bucket does not exist',
      hint: expect.stringContaining('npm run deploy-infra'),
    });
  });
});
