// An unchanged archive is reused only while S3 keeps it long enough for a build to fetch it: HeadObject
// carries the bucket lifecycle's expiry (x-amz-expiration), and one due within a day is uploaded again.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { PackedArchive } from '../../../../lib/pack/pack-project';
import { expiresWithin, uploadArchive } from '../../../../lib/upload/upload-archive';
import { mockAwsClient } from '../../../helpers/iam/mocked-clients';

const s3Mock = mockAwsClient(S3Client, 'cli');
const BUCKET = 'kiln-source-123456789012-us-east-1';
let dir: string;
let archive: PackedArchive;

beforeEach(async () => {
  s3Mock.reset();
  s3Mock.on(PutObjectCommand).resolves({ ETag: '"etag"' });
  dir = await mkdtemp(join(tmpdir(), 'kiln-upload-'));
  const bytes = Buffer.from('PK fake archive');
  const path = join(dir, 'archive.zip');
  await writeFile(path, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  archive = { path, sha256, size: bytes.length, files: [], totalUncompressed: 0 } as unknown as PackedArchive;
});

afterEach(() => rm(dir, { recursive: true, force: true }));

const expiration = (hoursFromNow: number) =>
  `expiry-date="${new Date(Date.now() + hoursFromNow * 3_600_000).toUTCString()}", rule-id="expire-source-archives"`;

function headAnswers(hoursFromNow: number | undefined) {
  s3Mock.on(HeadObjectCommand).resolves({
    ContentLength: archive.size,
    Metadata: { sha256: archive.sha256 },
    ...(hoursFromNow === undefined ? {} : { Expiration: expiration(hoursFromNow) }),
  });
}

const upload = () =>
  uploadArchive({ s3: new S3Client({ region: 'us-east-1' }), bucket: BUCKET, archive, onNote: () => {} });

test('an unchanged archive S3 keeps for days is reused', async () => {
  headAnswers(24 * 20);
  expect(await upload()).toEqual({ key: `sources/${archive.sha256}.zip`, skipped: true });
  expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
});

test('an unchanged archive that expires within a day is uploaded again (its clock restarts)', async () => {
  headAnswers(2);
  expect(await upload()).toEqual({ key: `sources/${archive.sha256}.zip`, skipped: false });
  expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(1);
});

test('no lifecycle on the bucket (no x-amz-expiration): reused', async () => {
  headAnswers(undefined);
  expect((await upload()).skipped).toBe(true);
});

test('expiresWithin reads the expiry-date of x-amz-expiration', () => {
  const at = Date.parse('2026-12-01T00:00:00Z');
  const header = 'expiry-date="Tue, 01 Dec 2026 12:00:00 GMT", rule-id="expire-source-archives"';
  expect(expiresWithin(header, 24 * 3_600_000, at)).toBe(true);
  expect(expiresWithin(header, 6 * 3_600_000, at)).toBe(false);
  expect(expiresWithin(undefined, 1, at)).toBe(false);
  expect(expiresWithin('garbage', 1, at)).toBe(false);
});
