// Bundles the build-side runner into one self-contained file. The laptop side ships this file
// inside every source archive, so CodeBuild always runs the same version as the CLI that started it.
// Usage: node scripts/bundle-runner.mjs [outfile]   (default dist/runner.js; tests bundle elsewhere)
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('../runner/main.ts', import.meta.url).pathname],
  outfile: process.argv[2] ?? 'dist/runner.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});
