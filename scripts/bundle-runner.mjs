// Bundles the build-side runner into one self-contained file. The laptop side ships this file
// inside every source archive, so CodeBuild always runs the same version as the CLI that started it.
// `.cjs`, not `.js`: Node picks a `.js` file's module system from the nearest package.json, and a
// user's `"type": "module"` would load this CommonJS bundle as an ES module and kill it at once.
// The source map (mappings only, no source text) turns a KILN_DEBUG stack trace into TypeScript
// positions; its sources are named `kiln:///runner/…` so nobody mistakes them for project files.
// Usage: node scripts/bundle-runner.mjs [outfile]   (default dist/runner.cjs; tests bundle elsewhere)
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const outfile = process.argv[2] ?? 'dist/runner.cjs';
await build({
  entryPoints: [new URL('../runner/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
});
const mapFile = `${outfile}.map`;
const repository = new URL('..', import.meta.url).pathname;
const map = JSON.parse(await readFile(mapFile, 'utf8'));
map.sources = map.sources.map(
  (source) => `kiln:///${relative(repository, resolve(dirname(mapFile), source))}`,
);
await writeFile(mapFile, JSON.stringify(map));
