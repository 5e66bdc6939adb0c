// kiln as a user installs it: the packed tarball (`npm pack`, what a release ships) installed into an
// empty prefix, then run from outside the repository. Dependencies come from the npm cache that
// `npm ci` filled, else the registry.
import { execFile } from 'node:child_process';
import { access, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../cli/run-cli';

const run = promisify(execFile);
jest.setTimeout(300_000);

let work: string;
let kiln: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kiln-install-'));
  // --ignore-scripts: `npm test` has just built dist/ (prepack would build it again).
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
    cwd: REPO_ROOT,
  });
  const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
  const prefix = join(work, 'prefix');
  await run(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(work, filename),
    ],
    {
      cwd: work,
    },
  );
  kiln = join(prefix, 'bin', 'kiln');
});
afterAll(() => rm(work, { recursive: true, force: true }));

test('the installed kiln runs: --version, and kiln dockerfile of an ESM app with a kiln/config TypeScript config', async () => {
  const { version } = require(join(REPO_ROOT, 'package.json')) as { version: string };
  expect((await run(kiln, ['--version'], { cwd: work })).stdout.trim()).toBe(version);

  const app = join(work, 'app');
  await cp(join(REPO_ROOT, 'test/fixtures/node-esm'), app, { recursive: true });
  await rm(join(app, 'kiln.config.js'));
  await writeFile(
    join(app, 'kiln.config.ts'),
    "import { defineConfig } from 'kiln/config';\nexport default defineConfig({ port: 4200 });\n",
  );
  const { stdout } = await run(kiln, ['dockerfile', '.'], { cwd: app });
  expect(stdout).toMatch(/^FROM node:22-bookworm-slim AS base$/m);
  expect(stdout).toMatch(/^EXPOSE 4200$/m);
});

test('the installed kiln init, then kiln dockerfile, in an app outside the repository', async () => {
  const app = join(work, 'express-app');
  await cp(join(REPO_ROOT, 'test/fixtures/node-express'), app, { recursive: true });
  await rm(join(app, 'Dockerfile.golden'));
  const init = await run(kiln, ['init'], { cwd: app });
  expect(init.stderr).toContain('kiln: wrote kiln.config.json');
  expect(init.stderr).toContain('framework: express');
  const config = await readFile(join(app, 'kiln.config.json'), 'utf8');
  // $schema: the schema inside this installation, which editors can open.
  const schema = /"\$schema": "(file:[^"]+)"/.exec(config)?.[1];
  expect(schema).toBeDefined();
  expect(fileURLToPath(schema!).startsWith(join(work, 'prefix'))).toBe(true);
  await access(fileURLToPath(schema!));
  // kiln reads the commented file it wrote; a second init does not overwrite it.
  const { stdout } = await run(kiln, ['dockerfile'], { cwd: app });
  expect(stdout).toMatch(/^CMD \["node", "server.js"\]$/m);
  await expect(run(kiln, ['init'], { cwd: app })).rejects.toMatchObject({ code: 1 });
  expect(await readFile(join(app, 'kiln.config.json'), 'utf8')).toBe(config);
});

test('the package carries the runner bundle and its map, buildspec.yml and the JSON schema, and no sources or tests', async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], {
    cwd: REPO_ROOT,
  });
  const [{ files }] = JSON.parse(stdout) as [{ files: { path: string }[] }];
  const paths = files.map((file) => file.path);
  for (const expected of [
    'bin/kiln.js',
    'dist/lib/cli.js',
    'dist/runner.cjs',
    'dist/runner.cjs.map',
    'dist/contract/config-schema.d.ts',
    'buildspec.yml',
    'schema/kiln.config.schema.json',
  ]) {
    expect(paths).toContain(expected);
  }
  expect(
    paths.filter(
      (path) =>
        /^(test|lib|runner|contract)\//.test(path) || (path.endsWith('.ts') && !path.endsWith('.d.ts')),
    ),
  ).toEqual([]);
});
