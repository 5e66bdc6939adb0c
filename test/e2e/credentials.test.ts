// Credentials reach the build (a BuildKit secret, or build args on the classic builder) but never the final image, its metadata or kiln's output:
// fake AWS credentials in the environment of `kiln build --local` and a user build arg (--env) are
// searched for in `docker history`, `docker inspect` and every file of every layer of `docker save`.
import { randomBytes } from 'node:crypto';
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
