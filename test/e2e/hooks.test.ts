// Stage hooks (.kiln/stage/* files and config dockerfile.hooks) and build args (config atTop,
// buildStage, deploymentStage, and --env): test/e2e/fixtures/markers writes a marker line from each
// hook, with the args it sees and checks of what exists at that point, into files kept in the image.
import { join } from 'node:path';
import { runOnce } from './support/docker';
import { ROOT } from './support/environment';
import { expectBuilt, kilnBuildLocal } from './support/kiln';
import { e2eSuite } from './support/suite';

jest.setTimeout(15 * 60_000);

const { cleanup } = e2eSuite('hooks');

test('each hook runs in its stage, in order, and sees the build args', async () => {
  const ref = cleanup.build(
    expectBuilt(
      await kilnBuildLocal(join(ROOT, 'test/e2e/fixtures/markers'), ['--env', 'MARKER_CLI=cli-value']),
    ),
  );
  const read = (file: string) => runOnce(cleanup, ref, ['cat', file]);

  // Build stage: config hook first, then the .kiln/stage file; before_build ran before the
  // dependencies and the source were there, after_build after the app build.
  expect(await read('/app/kiln-build-markers')).toBe(
    'config_before_build\nbefore_build top=top-value build=build-value cli=cli-value\nafter_build\n',
  );
  // Deployment stage: before_deployment before the app was copied in, after_deployment after it
  // (and after the deploy user was created).
  expect(await read('/kiln-deploy-markers')).toBe(
    'before_deployment\nconfig_after_deployment\nafter_deployment deploy=deploy-value\n',
  );
});
