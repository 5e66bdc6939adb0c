// Cache: after a one-line source change the rebuild reuses the dependency-install layer; the warm/cold
// time ratio is recorded in bench/results/e2e-rebuild.json (target ≤ 0.2, a figure, not an assertion).
import { cp, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { writeBenchResult } from './support/bench';
import { stepOutcomes, stepReusedCache } from './support/cache-hits';
import { e2eEnvironment, ROOT } from './support/environment';
import { expectBuilt, kilnBuildLocal, tagPattern } from './support/kiln';
import { serveImage } from './support/serve';
import { e2eSuite } from './support/suite';
import { ratioOf, stepSeconds } from './support/timings';

jest.setTimeout(20 * 60_000);

const { cleanup, workDir } = e2eSuite('rebuild');

/**
 * node-express is the smallest app (one dependency): its ratio shows kiln's fixed cost per build.
 * node-api carries a typical API server's dependency set (173 packages, 55 MB), where the reused
 * dependency layer is what a rebuild saves.
 */
const FIXTURES = [
  { name: 'node-express', dir: 'test/fixtures/node-express' },
  { name: 'node-api', dir: 'test/e2e/fixtures/node-api' },
];
const figures: Record<string, Record<string, unknown>> = {};

afterAll(() => {
  if (Object.keys(figures).length === 0) return;
  const file = writeBenchResult('e2e-rebuild', {
    builder: 'classic (no buildx in the e2e environment)',
    target: 'warm ≤ 0.2 × cold',
    note: 'seconds: wall time of `kiln build --local` (pack, build, push); buildStep: the runner step "build image" alone; one line of server.js changed between the builds; unchangedSeconds: a third build with no change (the fixed cost, the floor under any rebuild)',
    fixtures: figures,
  });
  console.log(`rebuild figures: ${file}`);
});

test.each(FIXTURES)(
  '$name: a one-line source change rebuilds without reinstalling dependencies',
  async (fixture) => {
    const project = join(workDir(), `rebuild-${fixture.name}-${Date.now()}`);
    await cp(join(ROOT, fixture.dir), project, { recursive: true });
    // A description no other build used: the first build is cold from the dependency layer on.
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8'));
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ ...manifest, description: project }, null, 2),
    );

    const cold = await kilnBuildLocal(project);
    cleanup.build(expectBuilt(cold));
    expect(stepReusedCache(cold.stderr, 'npm ci')).toBe(false);

    const server = join(project, 'server.js');
    const greeting = `hello from ${fixture.name}`;
    const source = await readFile(server, 'utf8');
    expect(source).toContain(greeting);
    await writeFile(server, source.replace(greeting, `hello again from ${fixture.name}`));
    const warm = await kilnBuildLocal(project);
    const built = expectBuilt(warm);
    const name = basename(project);
    for (const tag of built.tags) expect(tag).toMatch(tagPattern(name));
    expect(stepOutcomes(warm.stderr, 'npm ci')).not.toContain('ran');

    const ref = cleanup.build(built);
    cleanup.image(`${e2eEnvironment().registry}/kiln:cache-${name}`); // a name no later run uses
    const { body } = await serveImage(ref, { track: (id) => cleanup.container(id) });
    expect(body).toBe(`hello again from ${fixture.name}\n`);

    // Nothing changed at all: the fixed cost of a build (pack, context, cached steps, push), the floor
    // under any warm rebuild, so the figure says how close to it a source change comes.
    const unchanged = await kilnBuildLocal(project);
    cleanup.build(expectBuilt(unchanged));

    const [coldBuild, warmBuild] = [
      stepSeconds(cold.stderr, 'build image'),
      stepSeconds(warm.stderr, 'build image'),
    ];
    figures[fixture.name] = {
      fixture: fixture.dir,
      coldSeconds: cold.seconds,
      warmSeconds: warm.seconds,
      ratio: ratioOf(warm.seconds, cold.seconds),
      unchangedSeconds: unchanged.seconds,
      floorRatio: ratioOf(unchanged.seconds, cold.seconds),
      buildStep: { coldSeconds: coldBuild, warmSeconds: warmBuild, ratio: ratioOf(warmBuild, coldBuild) },
    };
    console.log(`rebuild ${fixture.name}: cold ${cold.seconds}s, warm ${warm.seconds}s`);
  },
);
