// Prints, one per line, the base images the e2e fixtures need: every FROM the Dockerfile generator
// emits for each fixture (asked through `kiln dockerfile`, so the stand-ins follow the generator) and
// the FROMs of fixtures' own Dockerfiles (`Dockerfile`, `*.Dockerfile`). Stage references are left out.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

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

/** The generator's Dockerfile for a fixture, or '' when it has none (detection-failure fixtures). */
async function generated(dir) {
  try {
    const { stdout } = await execFileAsync('node', [join(root, 'bin/kiln.js'), 'dockerfile', dir]);
    return stdout;
  } catch {
    return '';
  }
}

const dirs = [...fixtureDirs(join(root, 'test/fixtures')), ...fixtureDirs(join(root, 'test/e2e/fixtures'))];
const generatedFor = [];
for (const dir of dirs) {
  const own = readdirSync(dir).filter((name) => /^Dockerfile$|\.Dockerfile$/.test(name));
  for (const name of own) addFroms(readFileSync(join(dir, name), 'utf8'));
  if (own.length === 0) generatedFor.push(dir);
}
// One CLI process per fixture, a few at a time.
for (let i = 0; i < generatedFor.length; i += 4) {
  for (const dockerfile of await Promise.all(generatedFor.slice(i, i + 4).map(generated)))
    addFroms(dockerfile);
}
console.log([...images].join('\n'));
