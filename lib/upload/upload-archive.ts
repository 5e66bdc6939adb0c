// Puts the source archive in the kiln bucket under a key derived from its content, so an unchanged
// project is never uploaded twice (one HEAD request, 0 bytes). New archives go up as a multipart
// upload (parts in parallel, each retried by the SDK's retry strategy); on failure or Ctrl-C the
// multipart upload is aborted before this function returns, so no half-done upload is left behind.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { KilnError } from '../../contract/errors';
import { SOURCE_PREFIX, sourceArchiveKey } from '../../contract/infra-names';
import { errorName } from '../aws/error-name';
import type { PackedArchive } from '../pack/pack-project';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  s3: S3Client;
  bucket: string;
  archive: PackedArchive;
  signal?: AbortSignal;
  onProgress?: (progress: UploadProgress) => void;
  /** Where user-facing notes go ("source unchanged, upload skipped"); default: stderr. */
  onNote?: (text: string) => void;
}

export const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 4;
const HEAD_MEANS_ABSENT = new Set(['NotFound', 'NoSuchKey', 'Forbidden', 'AccessDenied']);
/** Object metadata (x-amz-meta-sha256) holding the archive's sha256, checked by the HEAD before skipping. */
const SHA256_METADATA = 'sha256';

export async function uploadArchive(options: UploadOptions): Promise<{ key: string; skipped: boolean }> {
  const { s3, bucket, archive, signal } = options;
  const note = options.onNote ?? ((text: string) => process.stderr.write(`kiln ${text}\n`));
  const key = sourceArchiveKey(archive.sha256);
  signal?.throwIfAborted();
  try {
    if (await alreadyUploaded(s3, bucket, key, archive, signal)) {
      note('source unchanged, upload skipped');
      options.onProgress?.({ loaded: archive.size, total: archive.size });
      return { key, skipped: true };
    }
    await multipartUpload(options, key);
    // A Ctrl-C during the last request: the (complete) object stays, but the user asked to stop.
    signal?.throwIfAborted();
    return { key, skipped: false };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw toUploadError(error, bucket, key);
  }
}

/** An archive reused must outlive the longest a build waits in CodeBuild's queue (8 h) with margin. */
const MIN_REMAINING_MS = 24 * 60 * 60 * 1000;

/** `expiry-date="Fri, 23 Dec 2026 00:00:00 GMT", rule-id="…"` within `ms` of `at`. */
export function expiresWithin(expiration: string | undefined, ms: number, at: number): boolean {
  const date = expiration && /expiry-date="([^"]+)"/.exec(expiration)?.[1];
  if (!date) return false;
  const expires = Date.parse(date);
  return Number.isFinite(expires) && expires - at < ms;
}

async function alreadyUploaded(
  s3: S3Client,
  bucket: string,
  key: string,
  archive: PackedArchive,
  signal?: AbortSignal,
): Promise<boolean> {
  const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    // Only kiln's own upload of this very archive counts: an object of the right size without the
    // sha256 kiln records (a failed copy, someone else's file) is uploaded over.
    const ours = head.ContentLength === archive.size && head.Metadata?.[SHA256_METADATA] === archive.sha256;
    // The bucket's lifecycle rule names the expiry (x-amz-expiration): an archive that could be gone
    // before CodeBuild fetches it (a build may queue for hours) is uploaded again, which restarts its
    // clock.
    return ours && !expiresWithin(head.Expiration, MIN_REMAINING_MS, Date.now());
  } catch (error) {
    // Without s3:ListBucket, S3 answers 403 rather than 404 for a missing key: upload, and let the
    // upload itself report a real permission problem.
    if (HEAD_MEANS_ABSENT.has(errorName(error))) return false;
    throw error;
  }
}

async function multipartUpload(options: UploadOptions, key: string): Promise<void> {
  const { Upload } = await import('@aws-sdk/lib-storage');
  const { s3, bucket, archive, signal, onProgress } = options;
  const body = createReadStream(archive.path, { highWaterMark: 1024 * 1024 });
  const guard = signal ? guardAgainstAbort(s3, bucket, key, signal) : undefined;
  try {
    const upload = new Upload({
      client: s3,
      params: {
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentLength: archive.size,
        ContentType: 'application/zip',
        Metadata: { [SHA256_METADATA]: archive.sha256 },
      },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    upload.on('httpUploadProgress', (progress) => {
      onProgress?.({ loaded: progress.loaded ?? 0, total: archive.size });
    });
    await upload.done();
  } finally {
    guard?.remove();
    body.destroy();
  }
}

/**
 * Ctrl-C: once the signal fires, every further request of this upload except AbortMultipartUpload
 * fails. The upload then stops, lets the parts in flight settle and aborts the multipart upload
 * before done() rejects; Upload.abort() instead would reject at once and clean up later, if ever.
 */
function guardAgainstAbort(
  s3: S3Client,
  bucket: string,
  key: string,
  signal: AbortSignal,
): { remove(): void } {
  const name = `kilnUploadAbortGuard-${randomUUID()}`;
  s3.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Bucket?: string; Key?: string };
      const ours = input.Bucket === bucket && input.Key === key;
      if (signal.aborted && ours && context.commandName !== 'AbortMultipartUploadCommand')
        throw signal.reason;
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { remove: () => s3.middlewareStack.remove(name) };
}

function toUploadError(error: unknown, bucket: string, key: string): unknown {
  const name = errorName(error);
  if (name === 'NoSuchBucket') {
    return new KilnError(
      `kiln infrastructure not found: the source bucket ${bucket} does not exist`,
      'Run `npm run deploy-infra` in the kiln repository (or fix remote.bucket in the kiln config, --profile or --region).',
    );
  }
  if (name === 'AccessDenied' || name === 'Forbidden') {
    return new KilnError(
      `access denied uploading the source archive to s3://${bucket}/${key}`,
      `The caller needs s3:PutObject and s3:GetObject on ${SOURCE_PREFIX}* in that bucket: attach the kiln user policy created by \`npm run deploy-infra\`, or use --profile with a role that has it.`,
    );
  }
  return error;
}
