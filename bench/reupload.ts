// re-upload: kiln's upload step run again on an unchanged archive, against s3rver on loopback behind a
// counting proxy: the second and later uploads should send 0 body bytes in exactly one HEAD request.
import { rm } from 'node:fs/promises';
import { describeProject } from '../lib/pack/describe-project';
import { packProject } from '../lib/pack/pack-project';
import { uploadArchive } from '../lib/upload/upload-archive';
import { startS3rver } from '../test/helpers/s3rver';
import { startCountingProxy, type TrafficCount } from './counting-proxy';
import { type RowResult, summarize } from './result';

const BUCKET = 'kiln-bench';
const REUPLOADS = 3;

function describeTraffic({ requests, bodyBytes }: TrafficCount): string {
  const byType = Object.entries(requests)
    .map(([operation, count]) => `${operation}×${count}`)
    .join(', ');
  return `${byType || 'no requests'}; ${bodyBytes} body bytes`;
}

export async function benchReupload(projectDir: string): Promise<RowResult[]> {
  const archive = await packProject({ projectDir, description: await describeProject(projectDir) });
  const s3rver = await startS3rver([BUCKET]);
  const proxy = await startCountingProxy(s3rver.endpoint);
  const s3 = s3rver.client({ endpoint: proxy.endpoint });
  const upload = async () => {
    const { skipped } = await uploadArchive({ s3, bucket: BUCKET, archive, onNote: () => {} });
    return { skipped, traffic: proxy.takeCount() };
  };
  try {
    const first = await upload();
    const again = [];
    for (let i = 0; i < REUPLOADS; i++) again.push(await upload());
    const traffic = again.map((run) => run.traffic);
    const heads = traffic.map(({ requests }) => requests.HEAD ?? 0);
    const others = traffic.map(
      ({ requests }, i) => Object.values(requests).reduce((a, b) => a + b, 0) - heads[i]!,
    );
    const notes = [
      `archive: ${archive.size} bytes (${archive.files.length} files); counted at an HTTP proxy in front of s3rver`,
      `first upload: ${describeTraffic(first.traffic)}`,
      ...again.map(
        (run, i) => `upload ${i + 2}: ${describeTraffic(run.traffic)}${run.skipped ? ' (skipped)' : ''}`,
      ),
    ];
    const base = { row: 're-upload', unit: 'requests', targetStat: 'max', sample: 're-upload' } as const;
    return [
      {
        ...base,
        compared: 'unchanged re-upload: body bytes sent',
        unit: 'bytes',
        figure: summarize(traffic.map((t) => t.bodyBytes)),
        targetMax: 0,
        notes,
      },
      {
        ...base,
        compared: 'unchanged re-upload: HEAD requests',
        figure: summarize(heads),
        targetMin: 1,
        targetMax: 1,
      },
      { ...base, compared: 'unchanged re-upload: other requests', figure: summarize(others), targetMax: 0 },
    ];
  } finally {
    s3.destroy();
    await proxy.close();
    await s3rver.stop();
    await rm(archive.path, { force: true });
  }
}
