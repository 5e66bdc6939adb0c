// The other build modes and failure: a custom Dockerfile, a prebuilt image (pulled, retagged,
// pushed) and an app whose build fails (non-zero exit, the failed step named).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { docker, inspectImage, runOnce } from './support/docker';
import { e2eEnvironment, ROOT } from './support/environment';
import { expectBuilt, kilnBuildLocal, tagPattern } from './support/kiln';
import { e2eSuite } from './support/suite';

jest.setTimeout(15 * 60_000);

const { cleanup } = e2eSuite('modes');

test('custom Dockerfile: the project’s own Dockerfile is built and pushed', async () => {
  const built = expectBuilt(await kilnBuildLocal(join(ROOT, 'test/fixtures/custom-dockerfile')));
  for (const tag of built.tags) expect(tag).toMatch(tagPattern('custom-dockerfile'));
  const ref = cleanup.build(built);
  expect(await runOnce(cleanup, ref)).toBe('custom\n');
});

test('prebuilt image: pulled, retagged and pushed without a build', async () => {
  const { registry } = e2eEnvironment();
  // In the stack's repository: the build role may pull nothing from another one (docs/cli.md, --image).
  const source = cleanup.image(`${registry}/kiln:prebuilt-source-${randomBytes(4).toString('hex')}`);
  await docker(['tag', 'debian:bookworm-slim', source]);
  await docker(['push', '--quiet', source]);
  const sourceId = (await inspectImage(source)).Id;
  await docker(['rmi', source]);

  const run = await kilnBuildLocal(join(ROOT, 'test/fixtures/prebuilt-image'), ['--image', source]);
  const built = expectBuilt(run);
  for (const tag of built.tags) expect(tag).toMatch(tagPattern('prebuilt-image'));
  expect(run.stderr).not.toMatch(/Step \d+\/\d+ : FROM/); // nothing was built

  const ref = cleanup.build(built);
  await docker(['pull', '--quiet', ref]);
  expect((await inspectImage(ref)).Id).toBe(sourceId);
});

test('a failing app build exits non-zero and names the failed step', async () => {
  const started = Date.now();
  const run = await kilnBuildLocal(join(ROOT, 'test/e2e/fixtures/failing-build'));
  await removeFailedStepContainers(started);
  expect(run.exitCode).not.toBe(0);
  expect(run.stderr).toContain('kiln-e2e: the app build fails on purpose');
  expect(run.stderr).toMatch(/✗ step "build image" failed/);
  expect(run.json?.error?.message).toMatch(/failed/);
});

/** The classic builder keeps the container of a failed RUN; remove the ones this test's build left. */
async function removeFailedStepContainers(since: number): Promise<void> {
  const exited = await docker(['ps', '-a', '-q', '--filter', 'status=exited']);
  for (const id of exited.split('\n').filter(Boolean)) {
    const [created, command] = (
      await docker(['inspect', '--format', '{{.Created}}|{{json .Config.Cmd}}', id])
    ).split('|');
    if (Date.parse(created as string) >= since && command?.includes('npm run build')) cleanup.container(id);
  }
}
