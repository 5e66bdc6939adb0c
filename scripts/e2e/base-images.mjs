// Prints, one per line, the base images the e2e fixtures need: every FROM the Dockerfile generator
// emits for each fixture (asked through `kiln dockerfile`, so the stand-ins follow the generator) and
// the FROMs of fixtures' own Dockerfiles (`Dockerfile`, `*.Dockerfile`). Stage references are left out.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
const images = new Set(['debian:bookworm-slim']);

function addFroms(dockerfile) {
  const stages = new Set();
  for (const line of dockerfile.split('\n')) {
    const match = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!match) continue;
    const [, image, stage] = match;
    if (!stages.has(image.toLowerCase()) && image !== 'scratch') images.add(image);
    if (stage) stages.add(stage.toLowerCase());
  }
}

function fixtureDirs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name));
}

for (const dir of [
  ...fixtureDirs(join(root, 'test/fixtures')),
  ...fixtureDirs(join(root, 'test/e2e/fixtures')),
]) {
  const own = readdirSync(dir).filter((name) => /^Dockerfile$|\.Dockerfile$/.test(name));
  for (const name of own) addFroms(readFileSync(join(dir, name), 'utf8'));
  if (own.length > 0) continue;
  try {
    const out = execFileSync('node', [join(root, 'bin/kiln.js'), 'dockerfile', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    addFroms(out);
  } catch {
    // Not every fixture is buildable (detection-failure fixtures); the e2e tests say so when it matters.
  }
}
console.log([...images].join('\n'));
