// `kiln logs --follow` while AWS is unreachable for a while (the loopback fake answers 500 or closes
// the connection): the real CLI over the real SDK wire path keeps following, loses no line, exits with
// the build's status, and Ctrl-C still detaches at once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { type AwsFake, startAwsFake } from '../../helpers/fakes/aws-fake-server';
import { streamOf } from '../../helpers/fakes/codebuild-model';
import { waitFor } from '../../helpers/processes';
import { startCli } from './run-cli';

jest.setTimeout(60_000);

let fake: AwsFake;
let home: string;
let project: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kiln-home-'));
  project = await mkdtemp(join(tmpdir(), 'kiln-outage-'));
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

const LOGS = 'Logs_20140328';
const CODEBUILD = 'CodeBuild_20161006';

test('CloudWatch Logs answering 500, then closing connections, for seconds: every line once, the build’s exit code', async () => {
  const build = fake.codebuild.start(basename(project), { phaseMs: 50, holdBuildMs: 12_000 });
  const run = startCli(['logs', build.id!, '--follow', '--dir', project], env);
  await run.waitForStderr('✓ PRE_BUILD');
  const texts: string[] = [];
  const appendFor = async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      texts.push(`line ${texts.length}`);
      fake.logs.append('/kiln/builds', streamOf(build), `${texts.at(-1)}\n`);
      await delay(200);
    }
  };
  for (const failure of ['500', 'hang-up'] as const) {
    fake.outage = { service: LOGS, failure };
    const before = fake.outageRequests;
    await appendFor(3000);
    // Lost answers the SDK's own three tries did not outlast: kiln's backoff carried on.
    expect(fake.outageRequests - before).toBeGreaterThan(3);
    fake.outage = undefined;
    await appendFor(600);
  }
  // CodeBuild itself unreachable for a while.
  fake.outage = { service: CODEBUILD, failure: 'hang-up' };
  await appendFor(2500);
  fake.outage = undefined;
  expect(await run.exit).toBe(0);
  const printed = run.stdout().split('\n');
  expect(printed.filter((line) => line.startsWith('line '))).toEqual(texts);
  expect(run.stderr()).toMatch(/✔ SUCCEEDED/);
});

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
});
