// Every buildable generator fixture, end to end: `kiln build --local` → pushed to the local registry
// with tags in the default format → pulled back by digest → run → answers HTTP as the `deploy` user.
// Then each generated image is compared with a naive single-stage build of the same app (bench/).
import { join } from 'node:path';
import { writeBenchResult } from './support/bench';
import { docker, inspectImage } from './support/docker';
import { e2eEnvironment, ROOT } from './support/environment';
import { expectBuilt, kilnBuildLocal, tagPattern } from './support/kiln';
import { serveImage } from './support/serve';
import { e2eSuite } from './support/suite';

jest.setTimeout(15 * 60_000);

/** Fixtures in test/fixtures that build offline (the npm registry and Debian are reachable; PyPI and RubyGems are not). */
const FIXTURES: { name: string; body: string | RegExp }[] = [
  { name: 'node-express', body: 'hello from node-express\n' },
  // "type": "module": the runner bundle and the config must not care (issue 9).
  { name: 'node-esm', body: 'hello from node-esm\n' },
  { name: 'node-pnpm', body: 'hello from node-pnpm (1m)\n' },
  // yarn classic from the npm registry (no corepack), and an npm workspace root whose app links a sibling.
  { name: 'node-yarn-classic', body: 'hello from node-yarn-classic (1m)\n' },
  { name: 'node-workspace', body: 'hello from node-workspace\n' },
  // Bun from npm on the official Node image (no oven/bun: it is on Docker Hub only), serving with hono.
  { name: 'node-bun', body: 'hello from node-bun\n' },
  { name: 'static-site', body: /hello from static-site/ },
  { name: 'python-stdlib', body: 'hello from python-stdlib\n' },
  { name: 'ruby-rack-stdlib', body: 'hello from ruby-rack-stdlib\n' },
  { name: 'go-http', body: 'hello from go-http\n' },
];

const { cleanup } = e2eSuite('fixtures');
/** Image sizes of the generated images that ran, for the size comparison. */
const built = new Map<string, { ref: string; bytes: number }>();

describe.each(FIXTURES)('kiln build --local test/fixtures/$name', ({ name, body }) => {
  test('pushes tagged images that pull by digest, answer HTTP and run as deploy', async () => {
    const { registry } = e2eEnvironment();
    const result = expectBuilt(await kilnBuildLocal(join(ROOT, 'test/fixtures', name)));

    expect(result.tags.length).toBeGreaterThan(0);
    for (const tag of result.tags) expect(tag).toMatch(tagPattern(name));
    expect(result.imageUri).toBe(`${registry}/kiln:${result.tags[0]}`);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Drop the local tags, so the image that runs is the one the registry serves.
    for (const tag of result.tags) await docker(['rmi', `${registry}/kiln:${tag}`]).catch(() => '');
    const ref = cleanup.build(result);
    await docker(['pull', '--quiet', ref]);
    const image = await inspectImage(ref);
    expect(image.Config.User.split(':')[0]).toBe('deploy');

    const { container, body: answer } = await serveImage(ref, { track: (id) => cleanup.container(id) });
    if (typeof body === 'string') expect(answer).toBe(body);
    else expect(answer).toMatch(body);

    expect((await docker(['exec', container, 'id', '-un'])).trim()).toBe('deploy');
    expect((await docker(['exec', container, 'id', '-u'])).trim()).not.toBe('0');
    built.set(name, { ref, bytes: image.Size });
  });
});

describe('image size against a naive single-stage Dockerfile (recorded in bench/results/e2e-image-size.json)', () => {
  test('each generated image is measured against test/e2e/fixtures/naive/<fixture>.Dockerfile', async () => {
    const rows: Record<string, { generatedBytes: number; naiveBytes: number; ratio: number }> = {};
    for (const [name, { bytes }] of built) {
      const naive = cleanup.image(`kiln-e2e-naive-${name}`);
      await docker([
        'build',
        '--network',
        'host',
        '--quiet',
        '-t',
        naive,
        '-f',
        join(ROOT, 'test/e2e/fixtures/naive', `${name}.Dockerfile`),
        join(ROOT, 'test/fixtures', name),
      ]);
      const naiveBytes = (await inspectImage(naive)).Size;
      rows[name] = { generatedBytes: bytes, naiveBytes, ratio: Number((bytes / naiveBytes).toFixed(3)) };
    }
    const file = writeBenchResult('e2e-image-size', {
      target: 'generated ≤ 0.5 × naive',
      note: 'stand-in base images (Debian packages on debootstrap minbase), not the official ones',
      fixtures: rows,
    });
    console.log(`image size (generated / naive), written to ${file}:\n${JSON.stringify(rows, null, 2)}`);
    expect(Object.keys(rows).length).toBe(built.size);
  });
});
