// Credentials reach the build (as build args) but never the final image, its metadata or kiln's output:
// fake AWS credentials in the environment of `kiln build --local` and a user build arg (--env) are
// searched for in `docker history`, `docker inspect` and every file of every layer of `docker save`.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { docker, runOnce } from './support/docker';
import { ROOT } from './support/environment';
import { expectBuilt, kilnBuildLocal } from './support/kiln';
import { e2eSuite } from './support/suite';

jest.setTimeout(15 * 60_000);

const run = promisify(execFile);
const suffix = randomBytes(6).toString('hex');
const SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAKILNE2EFAKE0001',
  AWS_SECRET_ACCESS_KEY: `kiln-e2e-secret-${suffix}`,
  AWS_SESSION_TOKEN: `kiln-e2e-session-${suffix}`,
  NPM_TOKEN: `kiln-e2e-npm-token-${suffix}`,
};

const { cleanup, workDir } = e2eSuite('credentials');

/** The secrets found in the files under dir (bytes, whatever the file type). */
async function secretsIn(dir: string): Promise<string[]> {
  const args = [
    '-r',
    '-a',
    '-F',
    '-o',
    '-h',
    ...Object.values(SECRETS).flatMap((value) => ['-e', value]),
    dir,
  ];
  try {
    const { stdout } = await run('grep', args, { maxBuffer: 64 * 1024 * 1024 });
    return [...new Set(stdout.split('\n').filter(Boolean))];
  } catch (error) {
    if ((error as { code?: number }).code === 1) return []; // grep: no match
    throw error;
  }
}

test('fake credentials and --env values reach the build but no part of the final image', async () => {
  const build = await kilnBuildLocal(
    join(ROOT, 'test/e2e/fixtures/credentials'),
    ['--env', `NPM_TOKEN=${SECRETS.NPM_TOKEN}`],
    {
      AWS_ACCESS_KEY_ID: SECRETS.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRETS.AWS_SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: SECRETS.AWS_SESSION_TOKEN,
      AWS_REGION: 'us-east-1',
    },
  );
  const ref = cleanup.build(expectBuilt(build));

  const leaks = (text: string) => Object.values(SECRETS).filter((value) => text.includes(value));
  expect(leaks(build.stdout + build.stderr)).toEqual([]);
  expect(leaks(await docker(['history', '--no-trunc', ref]))).toEqual([]);
  expect(leaks(await docker(['inspect', ref]))).toEqual([]);

  // docker save: the manifest, config and layer tarballs, then every layer unpacked.
  const saved = join(workDir(), 'image.tar');
  const unpacked = join(workDir(), 'image');
  await docker(['save', '-o', saved, ref]);
  await run('mkdir', ['-p', unpacked]);
  await run('tar', ['-xf', saved, '-C', unpacked]);
  const layerTars = (await readdir(unpacked, { recursive: true })).filter(
    (file) => file.endsWith('layer.tar') || file.startsWith('blobs/'),
  );
  expect(layerTars.length).toBeGreaterThan(0);
  for (const [index, layer] of layerTars.entries()) {
    const dir = join(workDir(), 'layers', String(index));
    await run('mkdir', ['-p', dir]);
    // Blobs that are not layers (configs, manifests) fail to untar; their bytes are searched anyway.
    await run('tar', ['-xf', join(unpacked, layer), '-C', dir]).catch(() => undefined);
  }
  expect(await secretsIn(unpacked)).toEqual([]);
  expect(await secretsIn(join(workDir(), 'layers'))).toEqual([]);

  // And the leak checks above were meaningful: the app's build script saw every value (it records
  // only that they were set).
  expect(await runOnce(cleanup, ref, ['cat', '/app/build-saw.txt'])).toBe(
    'AWS_ACCESS_KEY_ID=set\nAWS_SECRET_ACCESS_KEY=set\nAWS_SESSION_TOKEN=set\nNPM_TOKEN=set\n',
  );
});
