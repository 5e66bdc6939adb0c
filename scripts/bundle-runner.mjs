// Bundles the build-side runner into one self-contained file. The laptop side ships this file
// inside every source archive, so CodeBuild always runs the same version as the CLI that started it.
import { build } from 'esbuild';

await build({
  entryPoints: ['runner/main.ts'],
  outfile: 'dist/runner.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});
