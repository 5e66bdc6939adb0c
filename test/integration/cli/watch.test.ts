// `kiln logs`, `status`, `builds` and `stop` as a user runs them, against the loopback fake; `logs
// --follow` also while AWS is unreachable for a while (the fake answers 500 or closes the connection).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type AwsFake, startAwsFake } from '../../helpers/fakes/aws-fake-server';
import { type BuildScript, streamOf } from '../../helpers/fakes/codebuild-model';
import { waitFor } from '../../helpers/processes';
import { runCli, startCli } from './run-cli';

jest.setTimeout(30_000);

let fake: AwsFake;
let project: string;
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kiln-home-'));
  project = await mkdtemp(join(tmpdir(), 'kiln-watch-'));
});

beforeEach(async () => {
  fake = await startAwsFake();
  env = { HOME: home, ...fake.env() };
});

afterEach(() => fake.close());

afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
});

function seedBuild(kilnProject: string, script: BuildScript, codebuildProject = 'kiln'): string {
  return fake.codebuild.start(kilnProject, script, codebuildProject).id!;
}

const finished = (id: string) => fake.codebuild.finished(id);

async function seedFinishedBuilds() {
  const mine = basename(project);
  const older = seedBuild(mine, {
    phaseMs: 1,
    failure: { phase: 'INSTALL', status: 'FAILED', message: 'npm ci failed' },
  });
  await finished(older);
  const latest = seedBuild(mine, {
    phaseMs: 1,
    lines: ['hello from the build'],
    exported: { KILN_IMAGE_URI: 'repo/kiln:v1', KILN_IMAGE_DIGEST: 'sha256:abc', KILN_IMAGE_TAGS: 'v1' },
  });
  await finished(latest);
  await delay(5);
  // Someone else's project on the same CodeBuild project, started later: never "this project's latest".
  const other = seedBuild('someone-else', { phaseMs: 1 }, 'kiln-arm64');
  await finished(other);
  return { older, latest, other };
}

test('status without an id shows this project’s latest build', async () => {
  const { latest } = await seedFinishedBuilds();
  const { code, stdout } = await runCli(['status', '--dir', project], env);
  expect(code).toBe(0);
  expect(stdout).toContain(latest);
  expect(stdout).toContain('✔ SUCCEEDED');
  expect(stdout).toContain('repo/kiln:v1 sha256:abc');
});

test('status --json of a failed build names the phase and CodeBuild’s message', async () => {
  const { older } = await seedFinishedBuilds();
  const { code, stdout } = await runCli(['status', older, '--json', '--dir', project], env);
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toMatchObject({
    buildId: older,
    status: 'FAILED',
    phase: 'COMPLETED',
    failedPhase: { phase: 'INSTALL', status: 'FAILED', message: 'npm ci failed' },
    consoleUrl: expect.stringContaining(encodeURIComponent(older)),
  });
  expect(stdout).not.toContain('KILN_PROJECT_NAME');
});

test('a bare build UUID is found in whichever architecture’s project ran it', async () => {
  const id = seedBuild(basename(project), { phaseMs: 1 }, 'kiln-arm64');
  await finished(id);
  const { code, stdout } = await runCli(['status', id.split(':')[1]!, '--json', '--dir', project], env);
  expect(code).toBe(0);
  expect(JSON.parse(stdout)).toMatchObject({ buildId: id, status: 'SUCCEEDED' });
});

test('builds lists this project’s builds newest first, and only them, as a table with a header', async () => {
  const { older, latest, other } = await seedFinishedBuilds();
  const { code, stdout } = await runCli(['builds', '--limit', '5', '--dir', project], env);
  expect(code).toBe(0);
  const lines = stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^BUILD ID +STATUS +STARTED +DURATION +IMAGE$/);
  expect(lines[1]).toMatch(new RegExp(`^${latest}\\s+SUCCEEDED\\s+.*repo/kiln:v1$`));
  expect(lines[2]).toMatch(new RegExp(`^${older}\\s+FAILED\\s+.*failed in INSTALL$`));
  // Columns line up: every row's status starts where the header's does.
  for (const line of lines.slice(1))
    expect(line.indexOf(line.includes('SUCCEEDED') ? 'SUCCEEDED' : 'FAILED')).toBe(
      lines[0]!.indexOf('STATUS'),
    );
  expect(stdout).not.toContain(other);
});

test('logs without an id prints the latest build’s log on stdout', async () => {
  await seedFinishedBuilds();
  const { code, stdout } = await runCli(['logs', '--dir', project], env);
  expect(code).toBe(0);
  expect(stdout).toMatch(/Entering phase BUILD\nhello from the build\n/);
});

test('logs --follow prints lines about a second after they arrive and exits with the build’s status', async () => {
  const id = seedBuild(basename(project), {
    phaseMs: 50,
    // Long enough that the build is still in BUILD after the last append, on a loaded machine too.
    holdBuildMs: 8000,
    failure: { phase: 'BUILD', status: 'FAILED', message: 'exit status 1' },
  });
  const run = startCli(['logs', id, '--follow', '--dir', project], env);
  await run.waitForStderr(`following build ${id}`);
  await delay(300);
  const appended = new Map<string, number>();
  const latencies: number[] = [];
  run.child.stdout!.on('data', () => {
    for (const [text, at] of appended) {
      if (run.stdout().includes(`${text}\n`)) {
        latencies.push(Date.now() - at);
        appended.delete(text);
      }
    }
  });
  const texts = Array.from({ length: 8 }, (_, index) => `line ${index}`);
  for (const text of texts) {
    fake.logs.append('/kiln/builds', id.split(':')[1]!, `${text}\n`);
    appended.set(text, Date.now());
    await delay(230);
  }
  const code = await run.exit;
  expect(code).toBe(10);
  expect(run.stdout()).toContain(texts.join('\n'));
  expect(run.stderr()).toMatch(
    /\n✖ FAILED in .*: BUILD FAILED \(exit status 1\)\n {2}last lines of the build log:\n(?: {4}line \d\n)+$/,
  );
  expect(latencies).toHaveLength(texts.length);
  // Typically 100-1100 ms (1 s log polling); generous bounds for a loaded CI machine.
  const sorted = [...latencies].sort((a, b) => a - b);
  expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(1500);
  expect(sorted.at(-1)).toBeLessThan(2500);
});

test('Ctrl-C during logs --follow detaches without stopping the build (exit 14)', async () => {
  const id = seedBuild(basename(project), { phaseMs: 20, holdBuildMs: 20_000, lines: ['working'] });
  const run = startCli(['logs', '--follow', '--dir', project], env);
  await run.waitForStderr(`following build ${id}`);
  await delay(1500);
  run.child.kill('SIGINT');
  expect(await run.exit).toBe(14);
  expect(run.stderr()).toContain(`kiln logs ${id} --follow`);
  expect(fake.codebuild.calls.map((call) => call.operation)).not.toContain('StopBuild');
});

test('stop without an id stops this project’s running build', async () => {
  const id = seedBuild(basename(project), { phaseMs: 20, holdBuildMs: 20_000 });
  const { code, stderr } = await runCli(['stop', '--dir', project], env);
  expect(code).toBe(0);
  expect(fake.codebuild.calls).toContainEqual({ operation: 'StopBuild', input: { id } });
  expect(stderr).toContain(`stopping build ${id}`);
});

describe('stop deletes the --secret values still stored for the build', () => {
  const path = '/kiln/secrets/7d1f6c0e-1b2a-4c3d-9e8f-001122334455/';
  const variables = [
    { name: 'KILN_SECRET_PARAMETERS', value: path, type: 'PLAINTEXT' as const },
    { name: 'NPM_TOKEN', value: `${path}NPM_TOKEN`, type: 'PARAMETER_STORE' as const },
    // A PARAMETER_STORE variable outside this build's path (another build's): never touched.
    {
      name: 'OTHER',
      value: '/kiln/secrets/00000000-0000-4000-8000-000000000000/OTHER',
      type: 'PARAMETER_STORE' as const,
    },
  ];
  const store = (...names: string[]) => {
    for (const name of names) fake.parameters.set(name, { Name: name, Type: 'SecureString' });
  };

  test('of a build stopped before its runner deleted them (an --async build, kiln gone)', async () => {
    store(`${path}NPM_TOKEN`, '/kiln/secrets/00000000-0000-4000-8000-000000000000/OTHER');
    const id = fake.codebuild.start(
      basename(project),
      { phaseMs: 20, holdBuildMs: 20_000 },
      'kiln',
      variables,
    ).id!;
    const { code, stderr } = await runCli(['stop', id, '--dir', project], env);
    expect(code).toBe(0);
    expect(stderr).toContain(`stopping build ${id}`);
    expect(stderr).toContain('deleted the secrets stored for this build: NPM_TOKEN');
    expect([...fake.parameters.keys()]).toEqual(['/kiln/secrets/00000000-0000-4000-8000-000000000000/OTHER']);
  });

  test('of a build that already ended; nothing said when they are gone already', async () => {
    store(`${path}NPM_TOKEN`);
    const id = fake.codebuild.start(basename(project), { phaseMs: 1 }, 'kiln', variables.slice(0, 2)).id!;
    await finished(id);
    const first = await runCli(['stop', id, '--dir', project], env);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('already finished');
    expect(first.stderr).toContain('deleted the secrets stored for this build: NPM_TOKEN');
    expect(fake.parameters.size).toBe(0);
    const again = await runCli(['stop', id, '--dir', project], env);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain('secrets');
  });
});

test('--profile takes credentials and region from that profile of the shared files', async () => {
  await mkdir(join(home, '.aws'), { recursive: true });
  await writeFile(
    join(home, '.aws', 'credentials'),
    '[ci]\naws_access_key_id = AKIAFAKE\naws_secret_access_key = fake\n',
  );
  await writeFile(join(home, '.aws', 'config'), '[profile ci]\nregion = ap-southeast-2\n');
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, ...withoutKeys } = env;
  const { code, stderr } = await runCli(['status', '--profile', 'ci', '--dir', project], withoutKeys);
  expect(stderr).toContain('found in account 123456789012, region ap-southeast-2');
  expect(code).toBe(1);
  await rm(join(home, '.aws'), { recursive: true });
});

test.each([
  ['--profile', (name: string) => ({ args: ['--profile', name], env: {} })],
  ['AWS_PROFILE', (name: string) => ({ args: [], env: { AWS_PROFILE: name } })],
] as const)(
  'a profile that does not exist (named by %s) is named as such, with where kiln looked',
  async (source, how) => {
    await mkdir(join(home, '.aws'), { recursive: true });
    await writeFile(join(home, '.aws', 'config'), '[profile ci]\nregion = eu-west-1\n');
    const { args, env: extra } = how('ghost');
    const { code, stderr } = await runCli(['status', ...args, '--dir', project], { ...env, ...extra });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `kiln: AWS profile "ghost" (from ${source}) does not exist (looked in ${join(home, '.aws', 'config')} and ${join(home, '.aws', 'credentials')})\n` +
        '  Profiles found: ci. Fix the name, or create it with `aws configure --profile ghost` (or `aws configure sso --profile ghost`).\n',
    );
    await rm(join(home, '.aws'), { recursive: true });
  },
);

test('a project without builds says so', async () => {
  const { code, stderr } = await runCli(['status', '--dir', project], env);
  expect(code).toBe(1);
  expect(stderr).toContain(
    `kiln: no builds of ${basename(project)} found in account 123456789012, region us-east-1`,
  );
});

const LOGS = 'Logs_20140328';
const CODEBUILD = 'CodeBuild_20161006';

test('CloudWatch Logs answering 500, then closing connections, for seconds: every line once, the build’s exit code', async () => {
  const build = fake.codebuild.start(basename(project), { phaseMs: 50, holdBuildMs: 20_000 });
  const run = startCli(['logs', build.id!, '--follow', '--dir', project], env);
  await run.waitForStderr('✓ PRE_BUILD');
  const texts: string[] = [];
  /** Appends a line every 200 ms until `done` (at most 20 s). */
  const appendUntil = async (done: () => boolean) => {
    const until = Date.now() + 20_000;
    do {
      texts.push(`line ${texts.length}`);
      fake.logs.append('/kiln/builds', streamOf(build), `${texts.at(-1)}\n`);
      await delay(200);
    } while (!done() && Date.now() < until);
  };
  // Each outage lasts until kiln has sent 7 requests into it: more than one SDK call (3 tries) makes,
  // so kiln's own backoff carried on where the SDK gave up.
  const outage = async (service: string, failure: '500' | 'hang-up') => {
    fake.outage = { service, failure };
    const before = fake.outageRequests;
    await appendUntil(() => fake.outageRequests - before >= 7);
    expect(fake.outageRequests - before).toBeGreaterThanOrEqual(7);
    fake.outage = undefined;
    const after = Date.now() + 600;
    await appendUntil(() => Date.now() >= after);
  };
  await outage(LOGS, '500');
  await outage(LOGS, 'hang-up');
  // CodeBuild itself unreachable for a while.
  await outage(CODEBUILD, 'hang-up');
  expect(await run.exit).toBe(0);
  const printed = run.stdout().split('\n');
  expect(printed.filter((line) => line.startsWith('line '))).toEqual(texts);
  expect(run.stderr()).toMatch(/✔ SUCCEEDED/);
}, 90_000);

test('Ctrl-C while CloudWatch Logs is unreachable detaches at once (exit 14), the build left running', async () => {
  const build = fake.codebuild.start(basename(project), { phaseMs: 50, holdBuildMs: 30_000 });
  const run = startCli(['logs', build.id!, '--follow', '--dir', project], env);
  await run.waitForStderr('✓ PRE_BUILD');
  fake.outage = { service: LOGS, failure: 'hang-up' };
  // Long enough for kiln's backoff to be waiting seconds between tries.
  await waitFor(() => fake.outageRequests >= 12, 20_000);
  await delay(1500);
  const interrupted = Date.now();
  run.child.kill('SIGINT');
  expect(await run.exit).toBe(14);
  expect(Date.now() - interrupted).toBeLessThan(1500);
  expect(run.stderr()).toContain(`kiln logs ${build.id} --follow`);
  expect(fake.codebuild.builds.get(build.id!)!.buildComplete).toBe(false);
}, 60_000);
