// `--secret` with the local engine: the value reaches the app's build step (a BuildKit secret, or a
// late build arg on the classic builder) but no command line (kiln's, the runner's, docker's: `ps`
// while the build runs), kiln's output, the --json document or any part of the final image.
// And CodeBuild's base-image mirror, with the e2e registry standing in for the account's ECR
// pull-through cache: the base image is pulled through the mirror path, not by its Docker Hub name.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { E2E_BUILDERS } from './support/builders';
import { docker, inspectImage, runOnce } from './support/docker';
import { e2eEnvironment, ROOT } from './support/environment';
import { expectBuilt, kiln, kilnBuildLocal } from './support/kiln';
import { imageLeaks } from './support/leaks';
import { harnessFetch } from './support/registry';
import { e2eSuite } from './support/suite';

jest.setTimeout(15 * 60_000);

const FIXTURE = join(ROOT, 'test/e2e/fixtures/secrets');
const SECRET = `kiln-e2e-secret-token-${randomBytes(8).toString('hex')}`;
const { cleanup, workDir } = e2eSuite('secrets');

/** Every process's command line, sampled until `done` settles. */
async function commandLinesWhile(done: Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>();
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    const { stdout } = await promisify(execFile)('ps', ['-eo', 'args', '--no-headers']);
    for (const line of stdout.split('\n')) if (line.trim()) seen.add(line.trim());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return [...seen];
}

/** The per-stage cache images the registry holds for a kiln project (`cache-<name>-<arch>-<stage>`). */
async function cacheImagesOf(project: string): Promise<string[]> {
  const { registry } = e2eEnvironment();
  const answer = (await (await harnessFetch('/v2/kiln/tags/list')).json()) as { tags?: string[] };
  return (answer.tags ?? [])
    .filter((tag) => tag.startsWith(`cache-${project}-`))
    .map((tag) => `${registry}/kiln:${tag}`);
}

test.each(E2E_BUILDERS)(
  '$builder: --secret reaches the build step but no argv, output or part of the image',
  async ({ builder, env }) => {
    const building = kilnBuildLocal(FIXTURE, ['--secret', 'SECRET_TOKEN'], { ...env, SECRET_TOKEN: SECRET });
    const commandLines = await commandLinesWhile(building);
    const build = await building;
    expect(build.stderr).toContain(`builder: ${builder}`);
    const ref = cleanup.build(expectBuilt(build));

    // ps saw kiln and docker's build, with the secret's name only.
    expect(commandLines.some((line) => line.includes('--secret SECRET_TOKEN'))).toBe(true);
    expect(
      commandLines.some((line) =>
        /\bdocker\b.*\bbuild\b/.test(line)
          ? line.includes('id=SECRET_TOKEN') || line.includes('--build-arg SECRET_TOKEN')
          : false,
      ),
    ).toBe(true);
    expect(commandLines.filter((line) => line.includes(SECRET))).toEqual([]);
    expect(build.stdout + build.stderr).not.toContain(SECRET);
    expect(await imageLeaks(ref, [SECRET], join(workDir(), builder), (args) => docker(args))).toEqual([]);
    // Nor the per-stage cache images pushed beside it (every kiln user can pull those): BuildKit
    // mounts the value, never storing it; the classic builder pushes no cache with secrets.
    const cacheRefs = await cacheImagesOf('secrets');
    if (builder === 'BuildKit') expect(cacheRefs.length).toBeGreaterThan(0);
    for (const [index, cacheRef] of cacheRefs.entries()) {
      await docker(['pull', '--quiet', cleanup.image(cacheRef)]);
      const scratch = join(workDir(), `${builder}-cache-${index}`);
      expect(await imageLeaks(cacheRef, [SECRET], scratch, (args) => docker(args))).toEqual([]);
    }
    // And the checks above were meaningful: the app's build step had the value.
    expect(await runOnce(cleanup, ref, ['cat', '/app/build-saw.txt'])).toBe('SECRET_TOKEN=set\n');
  },
);

test('the base-image mirror (CodeBuild): FROM pulls through <registry>/kiln-ecr-public, the laptop sees the familiar name', async () => {
  const { registry } = e2eEnvironment();
  const generated = await kiln(['dockerfile', FIXTURE]);
  const from = /^FROM (\S+) AS base$/m.exec(generated.stdout)?.[1];
  expect(from).toMatch(/^node:/);
  const mirror = `${registry}/kiln-ecr-public`;
  const mirrored = `${mirror}/docker/library/${from}`;
  // The registry plays the pull-through cache: it holds the base image under the mirror path, marked
  // so the final image shows which one it was built on.
  const mark = randomBytes(6).toString('hex');
  const context = join(workDir(), 'mirror');
  await mkdir(context, { recursive: true });
  await writeFile(join(context, 'Dockerfile'), `FROM ${from}\n`);
  await docker(['build', '--tag', mirrored, '--label', `kiln.e2e.mirror=${mark}`, context], {
    env: { DOCKER_BUILDKIT: '0' },
  });
  await docker(['push', mirrored]);
  await docker(['rmi', mirrored]);

  const build = await kilnBuildLocal(FIXTURE, ['--no-push'], {
    ...E2E_BUILDERS[0]!.env,
    KILN_BASE_IMAGE_MIRROR: mirror,
  });
  expect(build.stderr).toContain(`base image ${from} → ${mirrored}`);
  expect(build.stderr).not.toContain('is pulled as named');
  const ref = cleanup.image(build.json!.imageUri!);
  expect((await inspectImage(ref)).Config.Labels?.['kiln.e2e.mirror']).toBe(mark);
});

test('the base-image mirror follows an ARG in the tag, a RUN --mount from= image and a prebuilt image', async () => {
  const { registry } = e2eEnvironment();
  const mirror = `${registry}/kiln-ecr-public`;
  const mirrored = `${mirror}/docker/library/debian:bookworm-slim`;
  // The stand-in cache's copy carries a file the engine's own debian:bookworm-slim lacks: a build
  // that pulled the familiar name instead would fail (the mount) or miss it (FROM, prebuilt).
  const mark = randomBytes(6).toString('hex');
  const stand = join(workDir(), 'mirror-debian');
  await mkdir(stand, { recursive: true });
  await writeFile(join(stand, 'Dockerfile'), `FROM debian:bookworm-slim\nRUN echo ${mark} > /kiln-mark\n`);
  await docker(['build', '--tag', mirrored, stand], { env: { DOCKER_BUILDKIT: '0' } });
  await docker(['push', mirrored]);
  await docker(['rmi', mirrored]);

  const project = join(workDir(), 'mirror-args');
  await mkdir(project, { recursive: true });
  await writeFile(join(project, 'kiln.config.json'), JSON.stringify({ dockerfile: { custom: true } }));
  await writeFile(
    join(project, 'Dockerfile'),
    [
      'ARG DEBIAN_TAG=bookworm-slim',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile ARG, not a JS template
      'FROM debian:${DEBIAN_TAG}',
      'RUN --mount=type=bind,from=debian:bookworm-slim,target=/mirror cp /mirror/kiln-mark /mark-from-mount',
      '',
    ].join('\n'),
  );
  const env = { ...E2E_BUILDERS[0]!.env, KILN_BASE_IMAGE_MIRROR: mirror };
  const build = await kilnBuildLocal(project, ['--no-push'], env);
  expect(build.stderr).toContain(
    `base image debian:\${DEBIAN_TAG} → ${mirror}/docker/library/debian:\${DEBIAN_TAG}`,
  );
  expect(build.stderr).toContain(`base image debian:bookworm-slim → ${mirrored}`);
  expect(build.stderr).not.toContain('is pulled as named');
  const ref = cleanup.image(build.json!.imageUri!);
  expect(await runOnce(cleanup, ref, ['cat', '/kiln-mark', '/mark-from-mount'])).toBe(`${mark}\n${mark}\n`);

  const prebuilt = await kilnBuildLocal(project, ['--no-push', '--image', 'debian:bookworm-slim'], env);
  expect(prebuilt.stderr).toContain(`prebuilt image debian:bookworm-slim → ${mirrored}`);
  const retagged = cleanup.image(prebuilt.json!.imageUri!);
  expect(await runOnce(cleanup, retagged, ['cat', '/kiln-mark'])).toBe(`${mark}\n`);
});
