// `kiln build --arch x86_64,arm64` as a user runs it: a real process against s3rver and the
// loopback CodeBuild / CloudWatch Logs / ECR / STS fake, whose builds push each architecture's image
// under its input tag (as the runner does). Every call is checked against the shipped IAM policies.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsFake, FAKE_ACCOUNT, startAwsFake } from '../../helpers/fakes/aws-fake-server';
import type { BuildScript } from '../../helpers/fakes/codebuild-model';
import { type S3rverHandle, startS3rver } from '../../helpers/s3rver';
import { runCli, startCli } from './run-cli';

jest.setTimeout(120_000);

const BUCKET = `kiln-source-${FAKE_ACCOUNT}-us-east-1`;
const REPOSITORY = `${FAKE_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/kiln`;

let fake: AwsFake;
let s3: S3rverHandle;
let project: string;
let home: string;
let env: NodeJS.ProcessEnv;

function script(arch: string, extra: BuildScript = {}): BuildScript {
  return {
    phaseMs: 60,
    lines: [`building for ${arch}`],
    exported: {
      KILN_IMAGE_URI: `${REPOSITORY}:demo-${arch}`,
      KILN_IMAGE_DIGEST: `sha256:${(arch === 'arm64' ? 'a' : 'b').repeat(64)}`,
      KILN_IMAGE_TAGS: `demo-${arch}`,
    },
    ...extra,
  };
}

beforeAll(async () => {
  s3 = await startS3rver([BUCKET]);
  home = await mkdtemp(join(tmpdir(), 'kiln-home-'));
  project = await mkdtemp(join(tmpdir(), 'kiln-multiarch-'));
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'demo', scripts: { start: 'node i.js' } }),
  );
  await writeFile(join(project, 'i.js'), 'console.log("hi");\n');
  await writeFile(join(project, 'kiln.config.json'), JSON.stringify({ docker: { tag: 'demo' } }));
});

beforeEach(async () => {
  fake = await startAwsFake();
  fake.codebuild.projectScripts.set('kiln', script('x86_64'));
  fake.codebuild.projectScripts.set('kiln-arm64', script('arm64'));
  env = { HOME: home, ...fake.env(s3.endpoint) };
});

afterEach(() => fake.close());

afterAll(async () => {
  await s3.stop();
  await rm(home, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
});

function starts() {
  return fake.codebuild.calls
    .filter((call) => call.operation === 'StartBuild')
    .map((call) => {
      const variables = Object.fromEntries(
        (call.input.environmentVariablesOverride as { name: string; value: string }[]).map((v) => [
          v.name,
          v.value,
        ]),
      );
      return {
        project: call.input.projectName as string,
        source: call.input.sourceLocationOverride,
        variables,
      };
    });
}

/** Both builds keep running (until stopped): time for a Ctrl-C. */
function holdBothBuilds(): void {
  for (const [name, arch] of [
    ['kiln', 'x86_64'],
    ['kiln-arm64', 'arm64'],
  ] as const) {
    fake.codebuild.projectScripts.set(name, script(arch, { holdBuildMs: 20_000 }));
  }
}

/** Image indexes stored in the fake ECR, by tag. */
function indexTags(): string[] {
  return [...fake.ecr.entries()]
    .filter(([, image]) => image.manifest.includes('"manifests"'))
    .map(([tag]) => tag);
}

test('both builds run at once from one archive; both followed; the index is published once', async () => {
  const { code, stdout, stderr } = await runCli(['build', project, '--arch', 'x86_64,arm64', '--json'], env);
  expect(code).toBe(0);
  const started = starts();
  expect(started.map((start) => start.project)).toEqual(['kiln', 'kiln-arm64']);
  // One archive for both; each build knows its architecture and the index it belongs to.
  expect(started[0]!.source).toBe(started[1]!.source);
  expect(started.map((start) => start.variables.KILN_ARCH)).toEqual(['x86_64', 'arm64']);
  expect(started[0]!.variables.KILN_INDEX_TAGS).toBe('demo');
  expect(started[0]!.variables.KILN_INDEX_MEMBERS).toMatch(
    /^x86_64=kiln-input-[0-9a-f]{40},arm64=kiln-input-[0-9a-f]{40}$/,
  );
  // Parallel, by the fake's own timestamps: each started before the other ended.
  const [x86, arm] = [...fake.codebuild.builds.values()];
  expect(x86!.startTime!.getTime()).toBeLessThan(arm!.endTime!.getTime());
  expect(arm!.startTime!.getTime()).toBeLessThan(x86!.endTime!.getTime());
  // Both followed, every line labelled with its architecture.
  expect(stderr).toMatch(/\[x86_64\] building for x86_64/);
  expect(stderr).toMatch(/\[arm64 \] building for arm64/);
  expect(stderr).toMatch(/\[arm64 \] ✔ SUCCEEDED/);
  expect(stderr).toMatch(/\[x86_64\] ✔ SUCCEEDED/);
  // One index, under the requested tag and the index's input tag, put once each.
  expect(indexTags().sort()).toEqual(['demo', started[0]!.variables.KILN_INDEX_INPUT_TAG].sort());
  expect(fake.ecrCalls.PutImage).toBe(2);
  const index = JSON.parse(fake.ecr.get('demo')!.manifest) as {
    manifests: { digest: string; platform: { architecture: string } }[];
  };
  expect(index.manifests.map((manifest) => manifest.platform.architecture)).toEqual(['amd64', 'arm64']);
  const document = JSON.parse(stdout);
  expect(document).toMatchObject({
    status: 'SUCCEEDED',
    imageUri: `${REPOSITORY}:demo`,
    digest: fake.ecr.get('demo')!.digest,
    index: { uri: `${REPOSITORY}:demo`, digest: fake.ecr.get('demo')!.digest, tags: ['demo'] },
    architectures: {
      x86_64: { buildId: x86!.id, digest: `sha256:${'b'.repeat(64)}`, duration: expect.any(Number) },
      arm64: { buildId: arm!.id, digest: `sha256:${'a'.repeat(64)}`, duration: expect.any(Number) },
    },
    failedArchitectures: [],
  });
  expect(stderr).toContain(`image index ${REPOSITORY}:demo (${document.digest})`);

  // Unchanged re-run: the index is found by its input tag; nothing is started or uploaded again.
  const again = await runCli(['build', project, '--arch', 'x86_64,arm64', '--json'], env);
  expect(again.code).toBe(0);
  expect(starts()).toHaveLength(2);
  expect(JSON.parse(again.stdout)).toMatchObject({ skipped: true, digest: document.digest });
});

test('remote.arch in the config asks for both too; an unchanged architecture is not built again', async () => {
  await writeFile(
    join(project, 'kiln.config.json'),
    JSON.stringify({ docker: { tag: 'demo' }, remote: { arch: ['arm64', 'x86_64'] } }),
  );
  try {
    // A first run in which arm64 fails leaves the x86_64 image behind.
    fake.codebuild.projectScripts.set(
      'kiln-arm64',
      script('arm64', { failure: { phase: 'BUILD', status: 'FAILED', message: 'exit 1' } }),
    );
    const first = await runCli(['build', project], env);
    expect(first.code).toBe(22);
    // The fake pushes the input tag when a build starts; a failed build pushes nothing.
    fake.ecr.delete(starts()[1]!.variables.KILN_INPUT_TAG!);
    fake.codebuild.projectScripts.set('kiln-arm64', script('arm64'));
    const second = await runCli(['build', project, '--json'], env);
    expect(second.code).toBe(0);
    expect(starts().map((start) => start.project)).toEqual(['kiln', 'kiln-arm64', 'kiln-arm64']);
    expect(second.stderr).toMatch(/\[x86_64\] kiln unchanged: /);
    expect(JSON.parse(second.stdout).architectures.x86_64).toMatchObject({ buildId: null, skipped: true });
    expect(indexTags()).toContain('demo');
  } finally {
    await writeFile(join(project, 'kiln.config.json'), JSON.stringify({ docker: { tag: 'demo' } }));
  }
});

test('one architecture fails: the whole fails, the exit code names it, no index', async () => {
  fake.codebuild.projectScripts.set(
    'kiln-arm64',
    script('arm64', { failure: { phase: 'BUILD', status: 'FAILED', message: 'npm ci exited 1' } }),
  );
  const { code, stderr, stdout } = await runCli(['build', project, '--arch', 'x86_64,arm64', '--json'], env);
  expect(code).toBe(22);
  expect(stderr).toMatch(/\[arm64 \] ✖ FAILED/);
  expect(stderr).toContain('failed: arm64; no image index was published');
  expect(indexTags()).toEqual([]);
  expect(JSON.parse(stdout)).toMatchObject({
    status: 'FAILED',
    failedArchitectures: ['arm64'],
    digest: null,
  });
});

test('one architecture stopped elsewhere (console, kiln stop): the whole fails, no index', async () => {
  fake.codebuild.projectScripts.set('kiln', script('x86_64', { holdBuildMs: 20_000 }));
  const run = startCli(['build', project, '--arch', 'x86_64,arm64'], env);
  await run.waitForStderr('[x86_64] building for x86_64', 45_000);
  const x86 = [...fake.codebuild.builds.values()].find((build) => build.projectName === 'kiln')!;
  fake.codebuild.handle('StopBuild', { id: x86.id });
  expect(await run.exit).toBe(21);
  expect(run.stderr()).toMatch(/\[x86_64\] ✖ STOPPED/);
  expect(indexTags()).toEqual([]);
});

test('Ctrl-C stops both builds; no index', async () => {
  holdBothBuilds();
  const run = startCli(['build', project, '--arch', 'x86_64,arm64'], env);
  await run.waitForStderr('building for x86_64', 45_000);
  await run.waitForStderr('building for arm64', 45_000);
  run.child.kill('SIGINT');
  expect(await run.exit).toBe(13);
  const stops = fake.codebuild.calls
    .filter((call) => call.operation === 'StopBuild')
    .map((call) => call.input.id);
  expect(stops.sort()).toEqual([...fake.codebuild.builds.keys()].sort());
  expect(run.stderr()).toContain('no image index is published');
  expect(indexTags()).toEqual([]);
});

test('the laptop detaching (second Ctrl-C) leaves both builds running and the merge to them', async () => {
  holdBothBuilds();
  fake.codebuild.slowStop = true;
  const run = startCli(['build', project, '--arch', 'x86_64,arm64'], env);
  await run.waitForStderr('building for arm64', 45_000);
  await run.waitForStderr('building for x86_64', 45_000);
  run.child.kill('SIGINT');
  await run.waitForStderr('Ctrl-C again to detach', 45_000);
  run.child.kill('SIGTERM');
  expect(await run.exit).toBe(14);
  expect(run.stderr()).toContain('the last to finish publishes the image index');
  // Both builds go on without the laptop; each carries what its merge step needs.
  expect([...fake.codebuild.builds.values()].every((build) => !build.buildComplete)).toBe(true);
  expect(
    starts().every(
      (start) => start.variables.KILN_INDEX_MEMBERS === starts()[0]!.variables.KILN_INDEX_MEMBERS,
    ),
  ).toBe(true);
});

test('--async returns with both build ids; the builds publish the index', async () => {
  const { code, stderr } = await runCli(['build', project, '--arch', 'x86_64,arm64', '--async'], env);
  expect(code).toBe(0);
  expect(starts()).toHaveLength(2);
  expect(stderr).toContain('the build that finishes last publishes the image index');
  expect(indexTags()).toEqual([]);
});

test('lambda: true with two architectures is refused before anything is packed', async () => {
  await writeFile(
    join(project, 'kiln.config.json'),
    JSON.stringify({ docker: { tag: 'demo' }, dockerfile: { lambda: true } }),
  );
  try {
    const { code, stderr } = await runCli(['build', project, '--arch', 'x86_64,arm64'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('Lambda refuses a multi-platform image index');
    expect(starts()).toHaveLength(0);
  } finally {
    await writeFile(join(project, 'kiln.config.json'), JSON.stringify({ docker: { tag: 'demo' } }));
  }
});

test('--secret with two architectures: each build gets its own stored copy, deleted when both end; the value never shows', async () => {
  const SECRET = 's3cr3t-multi-arch';
  fake.codebuild.projectScripts.set('kiln', script('x86_64', { holdBuildMs: 1500 }));
  fake.codebuild.projectScripts.set('kiln-arm64', script('arm64', { holdBuildMs: 1500 }));
  const run = startCli(['build', project, '--arch', 'x86_64,arm64', '--secret', 'NPM_TOKEN', '--json'], {
    ...env,
    NPM_TOKEN: SECRET,
  });
  await run.waitForStderr('building for x86_64');
  await run.waitForStderr('building for arm64');
  // While both run: one parameter per build, under that build's own path (its runner deletes that path only).
  const stored = [...fake.parameters.values()];
  expect(stored).toHaveLength(2);
  for (const parameter of stored) expect(parameter).toMatchObject({ Type: 'SecureString', Value: SECRET });
  const builds = starts();
  expect(builds.map((build) => build.variables.NPM_TOKEN).sort()).toEqual(
    stored.map((parameter) => parameter.Name).sort(),
  );
  for (const { variables } of builds) {
    expect(variables.NPM_TOKEN!.startsWith(variables.KILN_SECRET_PARAMETERS!)).toBe(true);
  }
  expect(new Set(builds.map((build) => build.variables.KILN_SECRET_PARAMETERS)).size).toBe(2);

  expect(await run.exit).toBe(0);
  expect(fake.parameters.size).toBe(0);
  expect(JSON.parse(run.stdout()).status).toBe('SUCCEEDED');
  expect(run.stdout() + run.stderr()).not.toContain(SECRET);
  expect(JSON.stringify(fake.codebuild.calls)).not.toContain(SECRET);
});
