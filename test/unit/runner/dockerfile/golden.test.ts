// Every fixture with a managed Dockerfile has a reviewed golden next to it (Dockerfile.golden).
// Regenerate after an intended change with: KILN_UPDATE_GOLDEN=1 npx jest test/unit/dockerfile
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../../../lib/config/load';
import { readProjectSnapshot } from '../../../../runner/detect/snapshot';
import { generateForDirectory, resolveBuildMode } from '../../../../runner/generate';
import { assertManagedLayout } from './structure';

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures');
const UPDATE = process.env.KILN_UPDATE_GOLDEN === '1';
// TypeScript configs are compiled by jiti on first load, which is slow on a busy machine.
jest.setTimeout(30_000);

const fixtures = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe.each(fixtures)('fixture %s', (name) => {
  const dir = join(FIXTURES, name);
  const golden = join(dir, 'Dockerfile.golden');

  it('generates its golden Dockerfile, in the managed layout', async () => {
    const { config } = await loadConfig(dir);
    const mode = resolveBuildMode(config, {}, (await readProjectSnapshot(dir)).paths);
    if (mode.mode !== 'managed') {
      expect(existsSync(golden)).toBe(false);
      return;
    }
    const generated = await generateForDirectory(dir, config);
    if (UPDATE) writeFileSync(golden, generated.dockerfile);
    expect(generated.dockerfile).toBe(readFileSync(golden, 'utf8'));
    assertManagedLayout(generated.dockerfile);
    // Deterministic: the same project always gives the same bytes.
    expect((await generateForDirectory(dir, config)).dockerfile).toBe(generated.dockerfile);
  });
});
