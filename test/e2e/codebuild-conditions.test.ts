// The rebuild in CodeBuild conditions: before every build the engine is fresh (a dockerd of this
// test's own, emptied: no image of the app, no builder cache), the AWS credentials are new values,
// and the registry is the only cache. After a one-line source change the dependency install must be
// a cache hit on every builder kiln drives here, and no credential may reach the final image.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBenchResult } from './support/bench';
import { E2E_BUILDERS } from './support/builders';
import { stepOutcomes, stepReusedCache } from './support/cache-hits';
import { ROOT } from './support/environment';
import { FreshEngine } from './support/fresh-engine';
import { expectBuilt, type KilnRun, kilnBuildLocal } from './support/kiln';
import { imageLeaks } from './support/leaks';
import { serveImage } from './support/serve';
import { e2eSuite } from './support/suite';
import { ratioOf, stepSeconds } from './support/timings';

jest.setTimeout(30 * 60_000);

const { workDir } = e2eSuite('codebuild-conditions');
let engine: FreshEngine;

beforeAll(async () => {
  // Not inside workDir(): the suite removes that before this file's afterAll stops the engine.
  engine = new FreshEngine(await mkdtemp(join(tmpdir(), 'kiln-e2e-fresh-engine-')));
});
afterAll(() => engine?.stop());

/** The credentials of one CodeBuild build: new values every time. */
function rotatedCredentials(): Record<string, string> {
  const id = randomBytes(8).toString('hex');
  return {
    AWS_ACCESS_KEY_ID: `AKIAKILN${id.slice(0, 12).toUpperCase()}`,
    AWS_SECRET_ACCESS_KEY: `kiln-rotated-secret-${id}`,
    AWS_SESSION_TOKEN: `kiln-rotated-session-${id}`,
    AWS_REGION: 'us-east-1',
  };
}

const FIXTURE = 'test/e2e/fixtures/node-web';
const figures: Record<string, Record<string, unknown>> = {};

afterAll(() => {
  if (Object.keys(figures).length === 0) return;
  // A run of one builder (-t classic) keeps the other builder's figures, each with its own date.
  const file = join(ROOT, 'bench/results/e2e-codebuild-rebuild.json');
  const previous = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { fixtures?: Record<string, unknown> }).fixtures
    : {};
  writeBenchResult('e2e-codebuild-rebuild', {
    target: 'warm ≤ 0.3 × cold, per builder',
    note: 'CodeBuild conditions: before each build a new dockerd data root (only the base image loaded), new AWS credentials, the registry as the only cache. seconds: wall time of `kiln build --local` (pack, build, push); buildStep: the runner step "build image"; one line of src/server.ts changed before each rebuild',
    fixtures: { ...previous, ...figures },
  });
});

const SOURCE = 'src/server.ts';

/** An image's layers (diff IDs) and the size of each non-empty history step, base first. */
async function layersOf(ref: string): Promise<{ ids: string[]; sizes: number[] }> {
  const ids = JSON.parse(
    await engine.docker(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref]),
  );
  const history = await engine.docker(['history', '--human=false', '--format', '{{.Size}}', ref]);
  const sizes = history
    .trim()
    .split('\n')
    .map(Number)
    .filter((size) => size > 0)
    .reverse();
  return { ids, sizes };
}

const byDigest = (built: { imageUri: string; digest: string }) =>
  `${built.imageUri.replace(/:[^:/]+$/, '')}@${built.digest}`;

test.each(E2E_BUILDERS)(
  '$builder: on a fresh engine with rotated credentials a one-line change reuses the dependency install, and no credential reaches the image',
  async ({ builder, env }) => {
    // A project name of its own, so cache tags of its own in the stack's repository (the build role
    // may push nowhere else): no earlier run's cache, and the registry's cache is all there is.
    const project = join(workDir(), `node-web-${builder}-${Date.now()}`);
    await cp(join(ROOT, FIXTURE), project, { recursive: true });
    const secrets: string[] = [];
    const build = async (): Promise<KilnRun> => {
      await engine.reset(['node:22-bookworm-slim']);
      const credentials = rotatedCredentials();
      secrets.push(credentials.AWS_SECRET_ACCESS_KEY as string, credentials.AWS_SESSION_TOKEN as string);
      return kilnBuildLocal(project, [], { ...credentials, ...engine.env, ...env });
    };

    const cold = await build();
    const coldImage = expectBuilt(cold);
    expect(cold.stderr).toContain(`builder: ${builder}`);
    expect(stepReusedCache(cold.stderr, 'npm ci')).toBe(false);

    const source = join(project, SOURCE);
    const text = await readFile(source, 'utf8');
    await writeFile(source, text.replace("'hello from node-web'", "'hello again from node-web'"));
    const warm = await build();
    const ref = expectBuilt(warm).imageUri as string;
    // In every docker build of the run: the cache stage's and the image's.
    expect(stepOutcomes(warm.stderr, 'npm ci')).not.toContain('ran');
    expect(stepOutcomes(warm.stderr, 'npm prune')).not.toContain('ran');
    expect(stepReusedCache(warm.stderr, 'npm run build')).toBe(false);

    // Only the app layer is new, and it is small: the production node_modules (tens of MB) stay the
    // layer the cold build pushed.
    await engine.docker(['pull', byDigest(coldImage)]);
    const [before, after] = [await layersOf(byDigest(coldImage)), await layersOf(ref)];
    expect(after.ids.slice(0, -1)).toEqual(before.ids.slice(0, -1));
    expect(after.ids.at(-1)).not.toBe(before.ids.at(-1));
    const [dependencies, app] = after.sizes.slice(-2) as [number, number];
    expect(dependencies).toBeGreaterThan(20_000_000);
    expect(app).toBeLessThan(5_000_000);

    // A container left by a failure goes with the engine.
    const { container, body } = await serveImage(ref, { env: engine.env });
    await engine.docker(['rm', '-f', container]);
    expect(body).toBe('hello again from node-web\n');
    expect(secrets.filter((value) => (cold.stderr + warm.stderr).includes(value))).toEqual([]);
    expect(
      await imageLeaks(ref, secrets, join(workDir(), `leaks-${builder}`), (args) => engine.docker(args)),
    ).toEqual([]);

    // A second one-line change, for the spread of the figure (bench/results, not asserted).
    await writeFile(source, text.replace("'hello from node-web'", "'hello once more from node-web'"));
    const again = await build();
    expectBuilt(again);
    // A rebuild from a rebuild's cache: the built-in BuildKit re-exports what it took from an imported
    // cache under one key only, which once made every rebuild after the first run the install again
    // in the image's build (runner/docker/stage-cache.ts).
    expect(stepOutcomes(again.stderr, 'npm ci')).not.toContain('ran');
    for (const [index, run] of [warm, again].entries()) {
      const [coldStep, warmStep] = [
        stepSeconds(cold.stderr, 'build image'),
        stepSeconds(run.stderr, 'build image'),
      ];
      figures[`${builder} rebuild ${index + 1}`] = {
        fixture: `${FIXTURE} (${builder}, rebuild ${index + 1})`,
        measuredAt: new Date().toISOString(),
        coldSeconds: cold.seconds,
        warmSeconds: run.seconds,
        ratio: ratioOf(run.seconds, cold.seconds),
        buildStep: { coldSeconds: coldStep, warmSeconds: warmStep, ratio: ratioOf(warmStep, coldStep) },
        // `npm ci` in each docker build of the run (cache stages first, the image last).
        dependencyInstall: stepOutcomes(run.stderr, 'npm ci').join(', '),
      };
    }
  },
);
