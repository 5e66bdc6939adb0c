// `kiln build`'s pre-flight as a user meets it: a build that would fail for a reason knowable on the
// laptop is refused with `kiln dockerfile`'s message, and nothing is uploaded (s3rver stays empty)
// nor started (the CodeBuild fake sees no StartBuild).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type AwsFake, FAKE_ACCOUNT, startAwsFake } from '../../helpers/fakes/aws-fake-server';
import { type S3rverHandle, startS3rver } from '../../helpers/s3rver';
import { runCli } from './run-cli';

jest.setTimeout(30_000);

const BUCKET = `kiln-source-${FAKE_ACCOUNT}-us-east-1`;
const APP = {
  'package.json': JSON.stringify({ name: 'demo', scripts: { start: 'node index.js' } }),
  'index.js': 'console.log("hi");\n',
};

let fake: AwsFake;
let s3: S3rverHandle;
let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  s3 = await startS3rver([BUCKET]);
  root = await mkdtemp(join(tmpdir(), 'kiln-preflight-'));
});

beforeEach(async () => {
  fake = await startAwsFake();
  env = { HOME: root, ...fake.env(s3.endpoint) };
});

afterEach(() => fake.close());

afterAll(async () => {
  await s3.stop();
  await rm(root, { recursive: true, force: true });
});

let projects = 0;
async function project(files: Record<string, string>): Promise<string> {
  const dir = join(root, `app-${++projects}`);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

async function expectNothingSent(): Promise<void> {
  expect(fake.codebuild.calls.map((call) => call.operation)).not.toContain('StartBuild');
  const { Contents = [] } = await s3.observer().send(new ListObjectsV2Command({ Bucket: BUCKET }));
  expect(Contents).toEqual([]);
}

/** The error lines (message and hint) a command ended with. */
function errorOf(stderr: string): string {
  return stderr.slice(stderr.indexOf('kiln: ')).trimEnd();
}

describe('refused before anything is uploaded or started, with kiln dockerfile’s message', () => {
  test.each([
    ['a directory with no app', { 'README.md': '# notes\n' }],
    ['a package.json that is not JSON', { 'package.json': '{"name":' }],
    ['a stage hook that starts a new stage', { ...APP, '.kiln/stage/before_build': 'FROM evil\n' }],
    [
      'a custom Dockerfile that does not exist (dockerfile.custom)',
      { ...APP, 'kiln.config.json': '{ "dockerfile": { "custom": "docker/Dockerfile.prod" } }' },
    ],
  ])('%s', async (_name, files) => {
    const dir = await project(files);
    const dockerfile = await runCli(['dockerfile', dir], env);
    const build = await runCli(['build', dir], env);
    expect(dockerfile.code).toBe(1);
    expect(build.code).toBe(1);
    expect(errorOf(build.stderr)).toBe(errorOf(dockerfile.stderr));
    await expectNothingSent();
  });

  test('the same refusal with --local, before docker is asked for anything', async () => {
    const dir = await project({ 'README.md': '# notes\n' });
    // No docker on PATH: the refusal must come before the local build needs it.
    const build = await runCli(['build', dir, '--local', '--no-push'], { ...env, PATH: '/nonexistent' });
    const dockerfile = await runCli(['dockerfile', dir], env);
    expect(build.code).toBe(1);
    expect(errorOf(build.stderr)).toBe(errorOf(dockerfile.stderr));
  });
});

describe('flags refused before anything is uploaded or started', () => {
  test.each([
    [
      '--dockerfile PATH that does not exist',
      ['--dockerfile', 'Dockerfile.prod'],
      1,
      'kiln: dockerfile.custom points to Dockerfile.prod, which does not exist',
    ],
    [
      'an unknown --tag placeholder',
      ['--tag', ':FRIENDLY_TAG-:COMMIT'],
      1,
      'kiln: unknown placeholder ":COMMIT" in the tag format',
    ],
    [
      'a --tag that yields no tag for this project (not a git repository)',
      ['--tag', ':GIT_SHA'],
      1,
      'kiln: the tag format ":GIT_SHA" produced no tag for this build',
    ],
    [
      'a --compute that is not a CodeBuild compute type',
      ['--compute', 'BUILD_GENERAL1_HUGE'],
      2,
      "kiln: --compute BUILD_GENERAL1_HUGE: not a compute type of kiln's CodeBuild projects",
    ],
  ])('%s', async (_name, flags, exitCode, message) => {
    const dir = await project(APP);
    const { code, stderr } = await runCli(['build', dir, ...flags], env);
    expect(code).toBe(exitCode);
    expect(stderr).toContain(message);
    await expectNothingSent();
  });

  test('--dockerfile naming a directory (the project dir swallowed by the flag) is a usage error with the fix', async () => {
    const dir = await project({ ...APP, Dockerfile: 'FROM scratch\n' });
    const { code, stderr } = await runCli(['build', '--dockerfile', dir], env);
    expect(code).toBe(2);
    expect(stderr).toContain(`kiln: --dockerfile ${dir}: that is a directory, not a Dockerfile`);
    expect(stderr).toContain(`kiln build ${dir} --dockerfile`);
    await expectNothingSent();
  });

  test('--arch arm64 on a stack without the arm64 project: found before packing', async () => {
    fake.codebuild.projects.delete('kiln-arm64');
    const dir = await project(APP);
    const { code, stderr } = await runCli(['build', dir, '--arch', 'arm64'], env);
    expect(code).toBe(1);
    expect(stderr).toContain('kiln: the arm64 CodeBuild project kiln-arm64 is not deployed');
    expect(stderr).not.toContain('packed');
    expect(fake.codebuild.calls.map((call) => call.operation)).toEqual(['BatchGetProjects']);
    await expectNothingSent();
  });
});

describe('warnings shown on the laptop, before the upload', () => {
  test('a project with its own Dockerfile hears that kiln ignores it', async () => {
    const dir = await project({ ...APP, Dockerfile: 'FROM scratch\n' });
    const { code, stderr } = await runCli(['build', dir, '--async'], env);
    expect(code).toBe(0);
    const warning = stderr.indexOf('kiln: warning: the project has a Dockerfile, which kiln ignores');
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(stderr.indexOf('packed'));
  });
});
