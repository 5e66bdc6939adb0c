// Credentials reach the build (a BuildKit secret, or build args on the classic builder) but never the final image, its metadata or kiln's output:
// fake AWS credentials in the environment of `kiln build --local` and a user build arg (--env) are
// searched for in `docker history`, `docker inspect` and every file of every layer of `docker save`.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { E2E_BUILDERS } from './support/builders';
import { docker, runOnce } from './support/docker';
import { ROOT } from './support/environment';
import { expectBuilt, kilnBuildLocal } from './support/kiln';
import { imageLeaks } from './support/leaks';
import { e2eSuite } from './support/suite';

jest.setTimeout(15 * 60_000);

const suffix = randomBytes(6).toString('hex');
const SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAKILNE2EFAKE0001',
  AWS_SECRET_ACCESS_KEY: `kiln-e2e-secret-${suffix}`,
  AWS_SESSION_TOKEN: `kiln-e2e-session-${suffix}`,
  NPM_TOKEN: `kiln-e2e-npm-token-${suffix}`,
};

const { cleanup, workDir } = e2eSuite('credentials');

test.each(E2E_BUILDERS)(
  '$builder: fake credentials and --env values reach the build but no part of the final image',
  async ({ builder, env }) => {
    const build = await kilnBuildLocal(
      join(ROOT, 'test/e2e/fixtures/credentials'),
      ['--env', `NPM_TOKEN=${SECRETS.NPM_TOKEN}`],
      {
        AWS_ACCESS_KEY_ID: SECRETS.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRETS.AWS_SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN: SECRETS.AWS_SESSION_TOKEN,
        AWS_REGION: 'us-east-1',
        ...env,
      },
    );
    expect(build.stderr).toContain(`builder: ${builder}`);
    const ref = cleanup.build(expectBuilt(build));

    const leaks = (text: string) => Object.values(SECRETS).filter((value) => text.includes(value));
    expect(leaks(build.stdout + build.stderr)).toEqual([]);
    expect(
      await imageLeaks(ref, Object.values(SECRETS), join(workDir(), builder), (args) => docker(args)),
    ).toEqual([]);

    // And the leak checks above were meaningful: the app's build script saw every value (it records
    // only that they were set).
    expect(await runOnce(cleanup, ref, ['cat', '/app/build-saw.txt'])).toBe(
      'AWS_ACCESS_KEY_ID=set\nAWS_SECRET_ACCESS_KEY=set\nAWS_SESSION_TOKEN=set\nNPM_TOKEN=set\n',
    );
  },
);

// The role's credentials expire (about an hour in CodeBuild) while a long image build runs: the runner
// renews the BuildKit secret file, and a step that starts later reads the current credentials. The
// role here is a loopback container-credentials endpoint that hands out new keys on every read.
test('BuildKit: a step that starts after the credentials rotated reads the renewed ones', async () => {
  let reads = 0;
  const endpoint = createServer((_request, response) => {
    reads += 1;
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        AccessKeyId: `AKIAKILNROTATED${reads}`,
        SecretAccessKey: `kiln-e2e-rotated-${suffix}-${reads}`,
        Token: `kiln-e2e-rotated-token-${suffix}-${reads}`,
        Expiration: new Date(Date.now() + 60_000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = endpoint.address() as AddressInfo;
    const runId = randomBytes(6).toString('hex');
    const build = await kilnBuildLocal(
      join(ROOT, 'test/e2e/fixtures/credentials-refresh'),
      ['--env', `RUN_ID=${runId}`],
      {
        ...E2E_BUILDERS[0]!.env,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_PROFILE: '',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/role`,
        AWS_REGION: 'us-east-1',
        KILN_CREDENTIALS_REFRESH_SECONDS: '1',
      },
    );
    expect(build.stderr).toContain('builder: BuildKit');
    const ref = cleanup.build(expectBuilt(build));
    const [first, second] = (await runOnce(cleanup, ref, [])).trim().split('\n');
    expect(first).toMatch(/^AKIAKILNROTATED\d+$/);
    expect(second).toMatch(/^AKIAKILNROTATED\d+$/);
    expect(second).not.toBe(first);
    // And no rotated secret reached kiln's output.
    expect(build.stdout + build.stderr).not.toContain(`kiln-e2e-rotated-${suffix}`);
  } finally {
    endpoint.close();
  }
});
