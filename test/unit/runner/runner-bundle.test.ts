// The bundled runner, run by kiln's real buildspec.yml commands against a fake `docker` on PATH:
// proves the wiring (entry point → steps → outputs.env → exported variables) with no docker engine,
// inside a project whose package.json says `"type": "module"` (a parent folder's says the same), as
// half of real Node projects do: Node must not read kiln's bundle as an ES module.
import { execFile } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { kilnConfigSchema } from '../../../contract/config-schema';
import { RUNNER_FILE } from '../../../contract/description';
import { parseBuildspec } from '../../../lib/local/buildspec';
import { runPhases } from '../../../lib/local/run-phases';

const SECRET = 'fake-secret-access-key-123';
const FAKE_DOCKER = `#!/bin/bash
echo "$*" >> "$FAKE_DOCKER_LOG"
case "$1" in
  buildx) exit 1 ;;
  build)
    echo "build sees secret: $AWS_SECRET_ACCESS_KEY"
    if [ -n "$FAKE_DOCKER_FAIL_BUILD" ]; then exit 1; fi ;;
  push) echo "$2: digest: sha256:${'c'.repeat(64)} size: 1" ;;
esac
exit 0
`;

let dir: string;
let sourceDir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-bundle-'));
  sourceDir = join(dir, 'src');
  await mkdir(join(sourceDir, '.kiln-build'), { recursive: true });
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin/docker'), FAKE_DOCKER);
  await chmod(join(dir, 'bin/docker'), 0o755);
  await writeFile(join(dir, 'package.json'), '{"type": "module"}\n');
  await writeFile(join(sourceDir, 'package.json'), '{"name": "shop", "type": "module"}\n');
  // The very script `npm run build` uses, so the test runs the bundle as it ships (minified).
  await promisify(execFile)(process.execPath, [
    join(__dirname, '../../../scripts/bundle-runner.mjs'),
    join(sourceDir, RUNNER_FILE),
  ]);
  await writeFile(join(sourceDir, 'Dockerfile'), 'FROM scratch\n');
  const description = {
    kilnVersion: '0.1.0',
    name: 'shop',
    config: kilnConfigSchema.parse({
      dockerfile: { custom: true },
      docker: { tag: ':FRIENDLY_TAG-:BUILD_NUMBER' },
    }),
    git: null,
  };
  await writeFile(join(sourceDir, '.kiln-build/build.json'), JSON.stringify(description));
}, 60_000); // esbuild bundles the whole runner first
afterAll(() => rm(dir, { recursive: true, force: true }));

async function runBuildspec(extraEnv: Record<string, string> = {}): Promise<void> {
  const buildspec = parseBuildspec(await readFile(join(__dirname, '../../../buildspec.yml'), 'utf8'));
  for (const phase of buildspec.phases) {
    phase.commands.push(`env | grep '^KILN_IMAGE_' | sort > ${join(dir, 'exported.txt')}`);
  }
  const out = openSync(join(dir, 'output.txt'), 'w');
  const env = {
    PATH: `${join(dir, 'bin')}:${process.env.PATH}`,
    HOME: dir,
    FAKE_DOCKER_LOG: join(dir, 'docker.log'),
    KILN_REPOSITORY_URI: '127.0.0.1:5000/kiln',
    CODEBUILD_SRC_DIR: sourceDir,
    CODEBUILD_BUILD_NUMBER: '7',
    AWS_ACCESS_KEY_ID: 'AKIAFAKEKEYID123',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_REGION: 'us-east-1',
    ...extraEnv,
  };
  try {
    await runPhases(buildspec, { cwd: sourceDir, env, stdoutFd: out, stderrFd: out });
  } finally {
    closeSync(out);
  }
}

const printed = () => readFile(join(dir, 'output.txt'), 'utf8');

it('builds, pushes and exports the image variables through buildspec.yml', async () => {
  await runBuildspec();
  expect(await readFile(join(dir, 'exported.txt'), 'utf8')).toBe(
    `KILN_IMAGE_DIGEST=sha256:${'c'.repeat(64)}\nKILN_IMAGE_TAGS=shop-7\nKILN_IMAGE_URI=127.0.0.1:5000/kiln:shop-7\n`,
  );
  const calls = await readFile(join(dir, 'docker.log'), 'utf8');
  expect(calls).toContain('--build-arg AWS_SECRET_ACCESS_KEY');
  expect(calls).not.toContain(SECRET);
  expect(await printed()).toContain('[kiln] ✓ push image done in');
  expect(await printed()).toContain('  │ build sees secret: ****');
  expect(await printed()).not.toContain(SECRET);
});

it('exits non-zero naming the failed step, and the buildspec stops there', async () => {
  await rm(join(dir, 'exported.txt'), { force: true });
  await expect(runBuildspec({ FAKE_DOCKER_FAIL_BUILD: '1' })).rejects.toThrow(
    'the local build failed in phase "build" (exit code 1)',
  );
  expect(await printed()).toContain('[kiln] ✗ step "build image" failed: docker build exited with code 1');
  expect(await printed()).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  await expect(readFile(join(dir, 'exported.txt'), 'utf8')).rejects.toThrow();
});

it("prints one line for a failure, never the bundle's source, and the TypeScript stack with KILN_DEBUG", async () => {
  await expect(runBuildspec({ KILN_REPOSITORY_URI: '' })).rejects.toThrow('phase "build"');
  const quiet = await printed();
  expect(quiet).toContain('[kiln] ✗ KILN_REPOSITORY_URI is not set\n');
  expect(quiet).not.toMatch(/ at |runner\.cjs/);
  expect(Math.max(...quiet.split('\n').map((line) => line.length))).toBeLessThan(200);

  await expect(runBuildspec({ KILN_REPOSITORY_URI: '', KILN_DEBUG: '1' })).rejects.toThrow('phase "build"');
  expect(await printed()).toMatch(
    /\[kiln\] {7}at readRunnerEnvironment \(kiln:\/\/\/runner\/steps\/runner-environment\.ts:\d+:\d+\)/,
  );
});
