// `kiln build` as a user runs it: a real process against s3rver and the loopback CodeBuild /
// CloudWatch Logs / STS fake.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type AwsFake, FAKE_ACCOUNT, startAwsFake } from '../../helpers/fakes/aws-fake-server';
import { PHASES } from '../../helpers/fakes/codebuild-model';
import { expectDenied } from '../../helpers/iam/recorded-calls';
import { readZip } from '../../helpers/read-zip';
import { type S3rverHandle, startS3rver } from '../../helpers/s3rver';
import { runCli, startCli } from './run-cli';

jest.setTimeout(30_000);

const BUCKET = `kiln-source-${FAKE_ACCOUNT}-us-east-1`;
const IMAGE = `${FAKE_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/kiln:demo-20261123-abc1234`;
const DIGEST = 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945';

let fake: AwsFake;
let s3: S3rverHandle;
let project: string;
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  s3 = await startS3rver([BUCKET]);
  home = await mkdtemp(join(tmpdir(), 'kiln-home-'));
  project = await mkdtemp(join(tmpdir(), 'kiln-demo-'));
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'demo', scripts: { start: 'node index.js' } }),
  );
  await writeFile(join(project, 'index.js'), 'console.log("hi");\n');
});

beforeEach(async () => {
  fake = await startAwsFake();
  fake.codebuild.script = {
    phaseMs: 20,
    lines: ['Step 1/9 : FROM node:20-slim', 'Successfully built 1234abcd', `pushed ${IMAGE}`],
    exported: {
      KILN_IMAGE_URI: IMAGE,
      KILN_IMAGE_DIGEST: DIGEST,
      KILN_IMAGE_TAGS: 'demo-20261123-abc1234,latest',
    },
  };
  env = { HOME: home, ...fake.env(s3.endpoint) };
});

afterEach(() => fake.close());

afterAll(async () => {
  await s3.stop();
  await rm(home, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
});

function startInput() {
  const call = fake.codebuild.calls.find((candidate) => candidate.operation === 'StartBuild');
  return call?.input as Record<string, unknown> & {
    environmentVariablesOverride: { name: string; value: string }[];
  };
}

test('a successful build: id, console link, phases, log lines in order, image and digest; exit 0', async () => {
  // Phases slow enough for the 1 s status poll to see each one.
  fake.codebuild.script.phaseMs = 400;
  const { code, stderr, stdout } = await runCli(['build', project, '--env', 'NPM_TOKEN=s3cr3t-value'], env);
  expect(code).toBe(0);
  const [id] = [...fake.codebuild.builds.keys()];
  expect(stderr).toContain(`build ${id}`);
  expect(stderr).toContain(
    `https://us-east-1.console.aws.amazon.com/codesuite/codebuild/${FAKE_ACCOUNT}/projects/kiln/build/${encodeURIComponent(id!)}/?region=us-east-1`,
  );
  // Each phase once, when it ends, with its duration; the build's lines inside their phase.
  const phaseLines = stderr.split('\n').filter((line) => /^[✓✖] [A-Z_]+ /.test(line));
  expect(phaseLines.map((line) => line.split(/\s+/)[1])).toEqual(PHASES);
  for (const line of phaseLines) expect(line).toMatch(/^✓ [A-Z_]+ +\d+(\.\d)?s$/);
  expect(stderr).toMatch(/✓ PRE_BUILD .*\nStep 1\/9.*\nSuccessfully built.*\npushed.*\n✓ BUILD /);
  // CodeBuild's own phase bookkeeping is not printed a second time.
  expect(stderr).not.toMatch(/Entering phase|Phase complete|Phase context/);
  expect(stderr).not.toContain('Warning');
  expect(stderr.match(/Successfully built 1234abcd/g)).toHaveLength(1);
  expect(stderr.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`✔ SUCCEEDED in .* ${IMAGE} ${DIGEST}$`));
  expect(stdout).toBe('');
  // The build args travel as their own variables, never in output.
  const input = startInput();
  expect(input.sourceTypeOverride).toBe('S3');
  expect(input.sourceLocationOverride).toMatch(new RegExp(`^${BUCKET}/sources/[0-9a-f]{64}\\.zip$`));
  expect(input.environmentVariablesOverride).toEqual(
    expect.arrayContaining([
      { name: 'KILN_PROJECT_NAME', value: expect.stringMatching(/^kiln-demo-/), type: 'PLAINTEXT' },
      { name: 'KILN_BUILD_ARG_NAMES', value: 'NPM_TOKEN', type: 'PLAINTEXT' },
      { name: 'NPM_TOKEN', value: 's3cr3t-value', type: 'PLAINTEXT' },
    ]),
  );
  expect(stderr).not.toContain('s3cr3t-value');
});

test('--json prints exactly one JSON document on stdout; human output stays on stderr', async () => {
  const { code, stdout, stderr } = await runCli(['build', project, '--json', '--arch', 'arm64'], env);
  expect(code).toBe(0);
  const document = JSON.parse(stdout);
  expect(document).toEqual({
    buildId: expect.stringMatching(/^kiln-arm64:/),
    status: 'SUCCEEDED',
    imageUri: IMAGE,
    digest: DIGEST,
    tags: ['demo-20261123-abc1234', 'latest'],
    failedPhase: null,
    timings: {
      pack: expect.any(Number),
      upload: expect.any(Number),
      queued: expect.any(Number),
      build: expect.any(Number),
      total: expect.any(Number),
    },
    logsUrl: expect.stringContaining('https://'),
    consoleUrl: expect.stringContaining('/projects/kiln-arm64/build/'),
    skipped: false,
    skipReason: null,
  });
  expect(stderr).toContain('✔ SUCCEEDED');
});

test('with GITHUB_OUTPUT set (GitHub Actions), the image, digest and build id become step outputs', async () => {
  const outputs = join(home, 'github-output');
  await writeFile(outputs, 'earlier=kept\n');
  const { code } = await runCli(['build', project], { ...env, GITHUB_OUTPUT: outputs });
  expect(code).toBe(0);
  const [id] = [...fake.codebuild.builds.keys()];
  expect(await readFile(outputs, 'utf8')).toBe(
    `earlier=kept\nimage-uri=${IMAGE}\ndigest=${DIGEST}\nbuild-id=${id}\n`,
  );
});

test('an unchanged re-run starts no build: one ECR lookup, the requested tags added, "skipped": true', async () => {
  const first = await runCli(['build', project, '--json', '--tag', ':FRIENDLY_TAG'], env);
  expect(first.code).toBe(0);
  expect(fake.ecrCalls).toEqual({ BatchGetImage: 1 });
  const inputTag = startInput().environmentVariablesOverride.find((v) => v.name === 'KILN_INPUT_TAG')?.value;
  expect(inputTag).toMatch(/^kiln-input-[0-9a-f]{40}$/);

  const again = await runCli(['build', project, '--json', '--tag', ':FRIENDLY_TAG'], env);
  expect(again.code).toBe(0);
  expect(fake.codebuild.calls.filter((call) => call.operation === 'StartBuild')).toHaveLength(1);
  expect(fake.ecrCalls).toEqual({ BatchGetImage: 2, PutImage: 1 });
  expect(JSON.parse(again.stdout)).toMatchObject({
    buildId: null,
    status: 'SUCCEEDED',
    skipped: true,
    skipReason: expect.stringContaining(`kiln:${inputTag} was built from the same input`),
    tags: [expect.stringMatching(/^kiln-demo-/)],
  });
  expect(again.stderr).toContain('no build started');

  const forced = await runCli(['build', project, '--json', '--tag', ':FRIENDLY_TAG', '--force'], env);
  expect(JSON.parse(forced.stdout).skipped).toBe(false);
  expect(fake.codebuild.calls.filter((call) => call.operation === 'StartBuild')).toHaveLength(2);
});

test('an unchanged re-run loads none of the packages only other runs need (its start-up time)', async () => {
  await runCli(['build', project, '--json'], env);
  const record = join(home, 'loaded-packages.txt');
  const again = await runCli(['build', project, '--json'], {
    ...env,
    NODE_OPTIONS: `--require ${join(__dirname, '../../helpers/loaded-packages.cjs')}`,
    KILN_TEST_LOADED_PACKAGES: record,
  });
  expect(JSON.parse(again.stdout).skipped).toBe(true);
  const loaded = (await readFile(record, 'utf8')).trim().split('\n');
  expect(loaded).toContain('@aws-sdk/client-ecr');
  // zod validates config files and flags (none here); the others serve --secret, following a build,
  // --verbose on a terminal and YAML project files (docs/benchmarks.md, unchanged re-run).
  for (const name of ['zod', '@aws-sdk/client-ssm', '@aws-sdk/client-cloudwatch-logs', 'pino-pretty', 'yaml'])
    expect(loaded).not.toContain(name);
});

test.each([
  ['FAILED', 10],
  ['FAULT', 11],
  ['TIMED_OUT', 12],
] as const)('a build that ends %s exits %i and names the failed phase and why', async (status, exitCode) => {
  fake.codebuild.script = {
    phaseMs: 20,
    failure: {
      phase: 'BUILD',
      status,
      message:
        'Error while executing command: node --enable-source-maps .kiln-build/runner.cjs. Reason: exit status 1',
    },
  };
  const { code, stderr } = await runCli(['build', project], env);
  expect(code).toBe(exitCode);
  expect(stderr.trimEnd().split('\n').at(-1)).toMatch(
    new RegExp(
      `✖ ${status} in .*: BUILD ${status} \\(Error while executing command: node --enable-source-maps .kiln-build/runner.cjs. Reason: exit status 1\\)`,
    ),
  );
  // CodeBuild's generic reason is said once, in the summary.
  expect(stderr.match(/Error while executing command/g)).toHaveLength(1);
});

test('a failed runner step: the summary names the step, its hint and the log lines before it, not CodeBuild’s generic reason', async () => {
  fake.codebuild.script = {
    phaseMs: 20,
    lines: [
      '[kiln] ▸ build image …',
      '  │ Step 5/9 : RUN npm ci',
      '  │ npm ERR! code E404',
      '  │ npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd',
      '[kiln] ✗ step "build image" failed: docker build exited with code 1',
      '[kiln]   hint: The docker output above shows the failing instruction.',
    ],
    failure: {
      phase: 'BUILD',
      status: 'FAILED',
      message:
        'Error while executing command: node --enable-source-maps .kiln-build/runner.cjs. Reason: exit status 1',
    },
  };
  const { code, stderr } = await runCli(['build', project], env);
  expect(code).toBe(10);
  const summary = stderr.slice(stderr.indexOf('✖ FAILED in'));
  expect(summary).toMatch(
    /^✖ FAILED in [^\n]*: step "build image" failed: docker build exited with code 1 \(in BUILD\)\n {2}hint: The docker output above shows the failing instruction.\n {2}last lines of the build log:\n {4}\[kiln\] ▸ build image …\n {4} {2}│ Step 5\/9 : RUN npm ci\n {4} {2}│ npm ERR! code E404\n {4} {2}│ npm ERR! 404 Not Found[^\n]*\n$/,
  );
  expect(stderr).toMatch(/✖ BUILD +FAILED \d/);
  expect(stderr).not.toContain('Error while executing command');
});

test('--async prints the build id alone on stdout (for scripts) and the rest on stderr', async () => {
  const { code, stdout, stderr } = await runCli(['build', project, '--async'], env);
  expect(code).toBe(0);
  const [id] = [...fake.codebuild.builds.keys()];
  expect(stdout).toBe(`${id}\n`);
  expect(stderr).toContain(`kiln logs ${id} --follow`);
});

test('--async starts the build, prints its id and how to follow it, and does not follow', async () => {
  const { code, stdout, stderr } = await runCli(['build', project, '--async', '--json'], env);
  expect(code).toBe(0);
  const [id] = [...fake.codebuild.builds.keys()];
  expect(JSON.parse(stdout)).toMatchObject({ buildId: id, status: 'IN_PROGRESS' });
  expect(stderr).toContain(`kiln logs ${id} --follow`);
  expect(fake.codebuild.calls.filter((call) => call.operation === 'BatchGetBuilds')).toHaveLength(0);
});

test('a StartBuild whose reply is lost (500 after starting) and retried by the SDK ends with exactly one build', async () => {
  fake.codebuild.loseReplies.add('StartBuild');
  const { code } = await runCli(['build', project, '--async', '--json'], env);
  expect(code).toBe(0);
  const starts = fake.codebuild.calls.filter((call) => call.operation === 'StartBuild');
  expect(starts).toHaveLength(2);
  expect(starts[1]!.input.idempotencyToken).toBe(starts[0]!.input.idempotencyToken);
  expect(fake.codebuild.builds.size).toBe(1);
});

test('Ctrl-C while following stops the build, says so, waits for STOPPED and exits 13', async () => {
  fake.codebuild.script = { phaseMs: 20, holdBuildMs: 20_000, lines: ['compiling…'] };
  const run = startCli(['build', project], env);
  await run.waitForStderr('compiling…');
  run.child.kill('SIGINT');
  const code = await run.exit;
  const [id] = [...fake.codebuild.builds.keys()];
  expect(fake.codebuild.calls).toContainEqual({ operation: 'StopBuild', input: { id } });
  expect(run.stderr()).toContain(`stopping build ${id} (Ctrl-C again to detach)`);
  expect(run.stderr().trimEnd().split('\n').at(-1)).toMatch(/✖ STOPPED in .*: BUILD STOPPED/);
  expect(code).toBe(13);
  // Following drains the log for 12 s after a build ends without CodeBuild's closing line.
}, 60_000);

test('a second Ctrl-C detaches, prints how to re-attach and exits 14', async () => {
  fake.codebuild.script = { phaseMs: 20, holdBuildMs: 20_000, lines: ['compiling…'] };
  fake.codebuild.slowStop = true;
  const run = startCli(['build', project], env);
  await run.waitForStderr('compiling…');
  run.child.kill('SIGINT');
  await run.waitForStderr('Ctrl-C again to detach');
  run.child.kill('SIGINT');
  const code = await run.exit;
  const [id] = [...fake.codebuild.builds.keys()];
  expect(run.stderr()).toContain(`kiln logs ${id} --follow`);
  expect(code).toBe(14);
});

test('Ctrl-C during the upload aborts it, leaves no multipart upload and starts no build (exit 130)', async () => {
  const big = await mkdtemp(join(tmpdir(), 'kiln-big-'));
  try {
    await writeFile(join(big, 'package.json'), '{"name":"big","scripts":{"start":"node index.js"}}');
    await writeFile(join(big, 'blob.bin'), randomBytes(48 * 1024 * 1024));
    const run = startCli(['build', big], env);
    await run.waitForStderr('packed');
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stderr()).toContain('kiln: interrupted: upload aborted, no build was started');
    expect(fake.codebuild.calls.map((call) => call.operation)).not.toContain('StartBuild');
    const { Uploads = [] } = await s3.observer().send(new ListMultipartUploadsCommand({ Bucket: BUCKET }));
    expect(Uploads).toEqual([]);
    const { Contents = [] } = await s3.observer().send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(Contents.filter((object) => (object.Size ?? 0) > 1024 * 1024)).toEqual([]);
  } finally {
    await rm(big, { recursive: true, force: true });
  }
});

test('--verbose adds structured debug logs (JSON lines when piped), never build-arg values', async () => {
  const { code, stderr } = await runCli(
    ['build', project, '--verbose', '--env', 'NPM_TOKEN=s3cr3t-value'],
    env,
  );
  expect(code).toBe(0);
  const records = stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  expect(records.map((record) => record.msg)).toEqual(
    expect.arrayContaining(['project', 'infrastructure', 'source uploaded', 'build started', 'status']),
  );
  expect(records.find((record) => record.msg === 'build started')).toMatchObject({
    level: 20,
    project: 'kiln',
  });
  expect(stderr).not.toContain('s3cr3t-value');
});

describe('what a user sees when something is wrong', () => {
  test('a malformed --env', async () => {
    const { code, stderr } = await runCli(['build', project, '--env', 'NPM_TOKEN'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('kiln: --env NPM_TOKEN…: expected KEY=VALUE');
  });

  test('an --env name that is not a variable name', async () => {
    const { code, stderr } = await runCli(['build', project, '--env', '1TOKEN=x'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('kiln: --env 1TOKEN…: expected KEY=VALUE');
  });

  test('no credentials anywhere', async () => {
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, ...withoutKeys } = env;
    const { code, stderr } = await runCli(['build', project], withoutKeys);
    expect(code).toBe(1);
    expect(stderr).toContain('kiln: no AWS credentials found');
    expect(stderr).toContain('--profile');
  });

  test('expired credentials', async () => {
    fake.stsError = 'ExpiredToken';
    const { code, stderr } = await runCli(['build', project], env);
    expect(code).toBe(1);
    expect(stderr).toContain('kiln: the AWS credentials have expired');
  });

  test('no source bucket: infrastructure not deployed', async () => {
    // Another region: outside the shipped (per-region) user policy, as for a real user.
    expectDenied(`arn:aws:s3:::kiln-source-${FAKE_ACCOUNT}-eu-west-1`);
    const { code, stderr } = await runCli(['build', project, '--region', 'eu-west-1'], env);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `kiln: kiln infrastructure not found in account ${FAKE_ACCOUNT}, region eu-west-1`,
    );
    expect(stderr).toContain('npm run deploy-infra');
  });

  test('no CodeBuild project: infrastructure not deployed', async () => {
    fake.codebuild.projects.clear();
    const { code, stderr } = await runCli(['build', project], env);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `kiln: kiln infrastructure not found in account ${FAKE_ACCOUNT}, region us-east-1`,
    );
  });

  test('--arch arm64 on a stack deployed for x86_64 only: that project is not deployed, and how to add it', async () => {
    fake.codebuild.projects.delete('kiln-arm64');
    const { code, stderr } = await runCli(['build', project, '--arch', 'arm64'], env);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `kiln: the arm64 CodeBuild project kiln-arm64 is not deployed in account ${FAKE_ACCOUNT}, region us-east-1`,
    );
    expect(stderr).toContain('-c kiln:architectures=x86_64,arm64');
  });

  test('access denied', async () => {
    fake.codebuild.denied.add('StartBuild');
    const { code, stderr } = await runCli(['build', project], env);
    expect(code).toBe(1);
    expect(stderr).toContain(`kiln: access denied by AWS in account ${FAKE_ACCOUNT}, region us-east-1`);
  });

  test('--json still prints one document when the build cannot start', async () => {
    fake.codebuild.projects.clear();
    const { code, stdout } = await runCli(['build', project, '--json'], env);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      error: {
        message: `kiln infrastructure not found in account ${FAKE_ACCOUNT}, region us-east-1`,
        hint: expect.stringContaining('npm run deploy-infra'),
        exitCode: 1,
      },
    });
  });
});

describe('--secret: the value never shows', () => {
  const SECRET = `kiln-secret-${randomBytes(8).toString('hex')}`;

  test('not in argv (ps), stderr, --json, the StartBuild request or the archive; stored as a SecureString and deleted when the build ends', async () => {
    fake.codebuild.script = { ...fake.codebuild.script, holdBuildMs: 1500, lines: ['compiling…'] };
    const run = startCli(['build', project, '--secret', 'NPM_TOKEN', '--json'], {
      ...env,
      NPM_TOKEN: SECRET,
    });
    await run.waitForStderr('compiling…');
    // While the build runs: the parameter exists, and kiln's own command line (what ps shows) holds only the name.
    const argv = await readFile(`/proc/${run.child.pid}/cmdline`, 'utf8');
    expect(argv.split('\0')).toContain('NPM_TOKEN');
    expect(argv).not.toContain(SECRET);
    const [parameter] = [...fake.parameters.values()];
    expect(parameter).toMatchObject({ Type: 'SecureString', Value: SECRET, Tier: 'Advanced' });
    expect(await run.exit).toBe(0);

    expect(fake.parameters.size).toBe(0);
    expect(run.stdout()).not.toContain(SECRET);
    expect(JSON.parse(run.stdout()).status).toBe('SUCCEEDED');
    expect(run.stderr()).not.toContain(SECRET);
    expect(JSON.stringify(startInput())).not.toContain(SECRET);
    expect(startInput().environmentVariablesOverride).toContainEqual({
      name: 'NPM_TOKEN',
      value: parameter!.Name,
      type: 'PARAMETER_STORE',
    });
    // The archive CodeBuild gets: build.json names the secret, nothing holds its value.
    const key = (startInput().sourceLocationOverride as string).slice(BUCKET.length + 1);
    const { Body } = await s3.observer().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const zip = join(home, 'archive.zip');
    await writeFile(zip, await Body!.transformToByteArray());
    const entries = await readZip(zip);
    const buildJson = entries.find((entry) => entry.name === '.kiln-build/build.json')!.content.toString();
    expect(JSON.parse(buildJson).config.dockerfile.secrets).toEqual(['NPM_TOKEN']);
    for (const entry of entries) expect(entry.content.toString('latin1')).not.toContain(SECRET);
  });

  test('--async: a build that cannot start leaves no secret stored (no runner would delete it)', async () => {
    fake.codebuild.denied.add('StartBuild');
    const { code, stderr } = await runCli(['build', project, '--async', '--secret', 'NPM_TOKEN'], {
      ...env,
      NPM_TOKEN: SECRET,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('access denied');
    expect(fake.parameters.size).toBe(0);
    expect(stderr).not.toContain(SECRET);
  });

  test('a --secret whose variable is not set is a usage error before anything is uploaded', async () => {
    const { code, stderr } = await runCli(['build', project, '--secret', 'MISSING_TOKEN'], env);
    expect(code).toBe(2);
    expect(stderr).toContain('secret MISSING_TOKEN has no value');
    expect(fake.codebuild.calls).toHaveLength(0);
  });
});
