// What the build stage's gathering step really copies for the deployment stage's app layer, run with
// sh, find and tar on a directory laid out as /app is after a Node install and build.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { kilnConfigSchema } from '../../../../contract/config-schema';
import { snapshotFromFiles } from '../../../../runner/detect/snapshot';
import { generateFromSnapshot } from '../../../../runner/generate';
import { stagesOf } from './structure';

const app = {
  'package.json': JSON.stringify({ scripts: { build: 'tsc', start: 'node dist/server.js' } }),
  'package-lock.json': '{}',
  '.node-version': '22',
};

/** The build stage's RUN steps after the source copy, as shell commands. */
function buildStageCommands(): string[] {
  const { dockerfile } = generateFromSnapshot(
    snapshotFromFiles(app),
    kilnConfigSchema.parse({ dockerfile: { buildArgs: { enableAwsCreds: false } } }),
    { credentials: 'build-args' },
  );
  const build = stagesOf(dockerfile).stages.find((stage) => stage.name === 'build')!;
  return build.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((path) => statSync(join(root, path)).isFile())
    .sort();
}

describe('the built app gathered for the deployment stage', () => {
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'kiln-built-app-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('holds the app without any node_modules, plus the files the build wrote into node_modules except .cache', () => {
    const root = join(scratch, 'app');
    const write = (path: string, installed: boolean) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), path);
      // Installed files are older than the build (cached layers keep their mtimes).
      if (installed) utimesSync(join(root, path), new Date('2020-01-01'), new Date('2020-01-01'));
    };
    for (const path of [
      'node_modules/express/index.js',
      'node_modules/.prisma/client/schema.prisma',
      'apps/web/node_modules/left-pad/index.js',
      'node_modules/.pnpm/@prisma+client@5/node_modules/@prisma/client/index.js',
    ])
      write(path, true);
    for (const path of ['package.json', 'src/server.ts', '.env.example', 'apps/web/package.json'])
      write(path, true);

    const [build, gather] = buildStageCommands().map((command) =>
      command.replaceAll('/tmp/kiln-', `${scratch}/kiln-`),
    );
    expect(build).toMatch(/^touch \S+ && npm run build$/);
    execFileSync('sh', ['-c', build!.replace(/ && npm run build$/, '')], { cwd: root });
    // Clear of the timestamp granularity: the build starts well after the marker.
    const started = new Date(Date.now() - 10_000);
    utimesSync(`${scratch}/kiln-build-started`, started, started);
    // What the build writes: its output, a generated client beside the dependency, a build cache.
    for (const path of [
      'dist/server.js',
      'node_modules/.prisma/client/index.js',
      'node_modules/.pnpm/@prisma+client@5/node_modules/.prisma/client/index.js',
      'node_modules/.cache/babel-loader/entry.json',
      'apps/web/node_modules/.cache/next/trace',
    ])
      write(path, false);

    execFileSync('sh', ['-c', gather!], { cwd: root });
    expect(filesUnder(join(scratch, 'kiln-app'))).toEqual(
      [
        '.env.example',
        'apps/web/package.json',
        'dist/server.js',
        'node_modules/.pnpm/@prisma+client@5/node_modules/.prisma/client/index.js',
        'node_modules/.prisma/client/index.js',
        'package.json',
        'src/server.ts',
      ].sort(),
    );
  });
});
