// The causes of wrong Dockerfiles found on real apps (issue 13), one describe each.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kilnConfigSchema } from '../../../../contract/config-schema';
import { readProjectSnapshot, snapshotFromFiles } from '../../../../runner/detect/snapshot';
import { generateFromSnapshot } from '../../../../runner/generate';
import { decision, detect, detectError, pkg } from './helpers';

const dockerfileOf = (files: Record<string, string>, config = {}) =>
  generateFromSnapshot(snapshotFromFiles(files), kilnConfigSchema.parse(config));

describe('1. server frameworks built with Vite are servers, not static sites', () => {
  it.each([
    [{ '@react-router/dev': '7', '@react-router/serve': '7', vite: '7' }, 'React Router'],
    [{ '@sveltejs/kit': '2', '@sveltejs/adapter-node': '5', vite: '6' }, 'SvelteKit (adapter-node)'],
    [{ nuxt: '3' }, 'Nuxt'],
    [{ astro: '5', '@astrojs/node': '9' }, 'Astro (@astrojs/node)'],
    [{ '@solidjs/start': '1', vinxi: '0' }, 'SolidStart'],
  ])('%j is a %s server', (dependencies, name) => {
    const files = { 'package.json': pkg({ scripts: { build: 'vite build' }, dependencies }) };
    expect(detect(files).plan.framework).toBe('node');
    expect(decision(files, 'server framework')).toContain(name);
  });

  it('starts the built server by convention when there is no start script', () => {
    const files = {
      'package.json': pkg({
        scripts: { build: 'vite build' },
        dependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-node': '5' },
      }),
    };
    const { plan } = detect(files);
    expect(plan.start).toEqual({ argv: ['node', 'build'] });
    expect(dockerfileOf(files).dockerfile).toContain('HOST=0.0.0.0');
  });

  it('refuses SvelteKit with a hosting platform adapter, naming the adapter to use', () => {
    const error = detectError({
      'package.json': pkg({
        scripts: { build: 'vite build' },
        devDependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-auto': '3' },
      }),
    });
    expect(error.hint).toContain('@sveltejs/adapter-node');
  });
});

describe('2. static sites: only single-page apps fall back to index.html', () => {
  it.each([
    [{ astro: '5' }, 'dist'],
    [{ gatsby: '5' }, 'public'],
    [{ '@docusaurus/core': '3' }, 'build'],
    [{ '@sveltejs/kit': '2', '@sveltejs/adapter-static': '3' }, 'build'],
  ])('%j is a multi-page site in %s with a 404 page', (dependencies, dir) => {
    const files = { 'package.json': pkg({ scripts: { build: 'build', start: 'dev' }, dependencies }) };
    const { plan } = detect(files);
    expect(plan).toMatchObject({ framework: 'node-static', siteDir: dir, spaFallback: false });
    expect(dockerfileOf(files).dockerfile).toContain('server.error-handler-404 = "/404.html"');
  });

  it('a Vite single-page app rewrites extension-less paths only, so a missing .css stays a 404', () => {
    const files = {
      'package.json': pkg({ scripts: { build: 'vite build' }, devDependencies: { vite: '7' } }),
    };
    expect(dockerfileOf(files).dockerfile).toContain(
      'url.rewrite-if-not-file = ( "^[^.?]*([?].*)?$" => "/index.html" )',
    );
  });
});

describe('3. workspaces', () => {
  const root = {
    'package.json': pkg({ workspaces: ['apps/*', 'packages/*'] }),
    'package-lock.json': '{}',
    '.nvmrc': '22\n',
    'apps/web/package.json': pkg({
      scripts: { start: 'node server.js', build: 'tsc' },
      dependencies: { ui: '*' },
    }),
    'apps/docs/package.json': pkg({ scripts: { build: 'astro build' }, dependencies: { astro: '5' } }),
    'packages/ui/package.json': pkg({ main: 'index.js' }),
  };

  it('asks which app to build when the root has several, and builds the configured one with the root lockfile and .nvmrc', () => {
    expect(detectError(root).hint).toContain('"workspace": "apps/docs"');
    const { plan } = detect(root, { workspace: 'apps/web' });
    expect(plan).toMatchObject({
      version: '22',
      lockfile: 'package-lock.json',
      buildCommand: 'cd apps/web && npm run build',
    });
    expect(plan.start).toEqual({ shell: 'cd apps/web && exec node server.js' });
    const { dockerfile } = dockerfileOf(root, { workspace: 'apps/web' });
    expect(dockerfile).toContain('COPY packages/ui/package.json ./packages/ui/');
  });

  it('refuses a workspace member on its own, pointing at the root', () => {
    const error = detectError({
      'package.json': pkg({ scripts: { start: 'node .' }, dependencies: { ui: 'workspace:*' } }),
    });
    expect(error.hint).toContain('workspace root');
  });
});

describe('4. Python entry points', () => {
  it.each([
    ['app = get_application()\n', 'uvicorn main:app --host'],
    ['def create_app():\n    return FastAPI()\n', 'uvicorn main:create_app --factory'],
  ])('FastAPI from %j', (source, start) => {
    const { plan } = detect({ 'requirements.txt': 'fastapi\n', 'main.py': source });
    expect('shell' in plan.start && plan.start.shell).toContain(start);
  });

  it('a Lambda handler may name its parameters anything', () => {
    expect(
      detect({ 'requirements.txt': '', 'handler.py': 'def handler(evt, _ctx):\n  pass\n' }).plan,
    ).toMatchObject({
      framework: 'python-lambda',
      lambdaHandler: 'handler.handler',
    });
  });

  it('lambda: true without a handler is an error, not `python app.py`', () => {
    expect(
      detectError({ 'requirements.txt': '', 'app.py': 'print(1)\n' }, { dockerfile: { lambda: true } })
        .message,
    ).toContain('no Lambda handler found');
  });
});

describe('5. version → image', () => {
  it.each([
    ['# pyenv comment\n3.12\n', '3.12'],
    ['\n3.11\n', '3.11'],
  ])('.python-version %j is %s', (text, version) => {
    expect(detect({ 'requirements.txt': '', '.python-version': text, 'app.py': '' }).plan.version).toBe(
      version,
    );
  });

  it.each([
    ['requires-python = ">=3.9,<3.13"\n', '3.12'],
    ['[tool.poetry.dependencies]\npython = "~3.10"\n', '3.10'],
  ])('pyproject %j is %s', (text, version) => {
    expect(detect({ 'pyproject.toml': text, 'app.py': '' }).plan.version).toBe(version);
  });

  it('Python 3.6 runs on its last (bullseye) image; an unpinned Python with pinned packages keeps a compiler', () => {
    expect(
      dockerfileOf({ 'runtime.txt': 'python-3.6.15', 'requirements.txt': '', 'app.py': '' }).dockerfile,
    ).toContain('FROM python:3.6-slim-bullseye');
    const unpinned = dockerfileOf({ 'requirements.txt': 'numpy==1.24.0\n', 'app.py': '' });
    expect(unpinned.dockerfile).toContain('build-essential');
    expect(unpinned.warnings.join('\n')).toContain('no Python version pinned');
  });

  it('a blank first line in .nvmrc is skipped', () => {
    expect(
      detect({ 'package.json': pkg({ scripts: { start: 'node .' } }), '.nvmrc': '\n20\n' }).plan.version,
    ).toBe('20');
  });
});

describe('6. Ruby', () => {
  it('config/application.rb without the rails gem is a Rack app with RACK_ENV=production', () => {
    const files = { Gemfile: "gem 'sinatra'\n", 'config/application.rb': '', 'config.ru': 'run App\n' };
    expect(detect(files).plan.framework).toBe('rack');
    expect(dockerfileOf(files).dockerfile).toContain('RACK_ENV=production');
  });

  it('cssbundling: build:css runs in the assets stage even without scripts.build', () => {
    const files = {
      Gemfile: "gem 'rails'\n",
      'package.json': pkg({ scripts: { 'build:css': 'tailwindcss -o app/assets/builds/application.css' } }),
    };
    expect(detect(files).plan.assets?.buildCommand).toBe('npm run build:css');
  });
});

describe('7. yarn without corepack', () => {
  it('installs yarn classic and berry from the npm registry with npm', () => {
    const classic = dockerfileOf({
      'package.json': pkg({ scripts: { start: 'node .' } }),
      'yarn.lock': '# yarn lockfile v1\n',
    });
    expect(classic.dockerfile).toContain('npm install -g --force yarn@1');
    expect(classic.dockerfile).not.toContain('corepack');
    const berry = dockerfileOf({
      'package.json': pkg({ scripts: { start: 'node .' } }),
      'yarn.lock': '__metadata:\n  version: 6\n',
    });
    expect(berry.dockerfile).toContain('npm install -g --force @yarnpkg/cli-dist@3');
  });

  it('reads the head of a yarn.lock over the size limit, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-big-lock-'));
    try {
      writeFileSync(join(dir, 'package.json'), pkg({ scripts: { start: 'node .' } }));
      writeFileSync(join(dir, 'yarn.lock'), `__metadata:\n  version: 8\n${'x'.repeat(17 * 1024 * 1024)}\n`);
      const snapshot = await readProjectSnapshot(dir);
      expect(snapshot.warnings).toEqual([
        "yarn.lock is 17.0 MiB, over kiln's 16.0 MiB limit for it: detection read only its first 64 KiB",
      ]);
      const generated = generateFromSnapshot(snapshot, kilnConfigSchema.parse({}));
      expect(generated.dockerfile).toContain('@yarnpkg/cli-dist@4');
      expect(generated.warnings).toContain(snapshot.warnings[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('8. Procfile processes other than web', () => {
  it('warns about the worker and the release command', () => {
    const { warnings } = detect({
      'package.json': pkg({ scripts: { start: 'node .' } }),
      Procfile: 'web: node server.js\nworker: node worker.js\nrelease: node migrate.js\n',
    });
    expect(warnings.join('\n')).toMatch(/Procfile worker: "node worker.js".*startCommand/);
    expect(warnings.join('\n')).toMatch(/Procfile release: "node migrate.js" is not run by the image/);
  });
});

describe('what kiln cannot know', () => {
  it('a build that migrates a database names the config key that passes DATABASE_URL', () => {
    const { warnings } = detect({
      'package.json': pkg({
        scripts: { build: 'prisma migrate deploy && next build' },
        dependencies: { next: '15' },
      }),
    });
    expect(warnings.join('\n')).toContain('"dockerfile.buildArgs.buildStage": { "DATABASE_URL": null }');
  });

  it('a Go Procfile naming the module binary starts the built binary; templates are copied next to it', () => {
    const files = {
      'go.mod': 'module example.com/getting-started\n\ngo 1.22\n',
      'main.go': 'package main\n',
      'templates/index.tmpl.html': '',
      Procfile: 'web: getting-started\n',
    };
    const { plan } = detect(files);
    expect(plan.start).toEqual({ argv: ['/app/server'] });
    expect(plan).toMatchObject({ runtimeDirs: ['templates'] });
    expect(detect({ ...files, 'main.go': '//go:embed templates/*\nvar t embed.FS\n' }).plan).toMatchObject({
      runtimeDirs: [],
    });
  });

  it('Django Channels starts an ASGI server', () => {
    const { plan } = detect({
      'manage.py': "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'chat.settings')\n",
      'requirements.txt': 'django\nchannels\ndaphne\n',
    });
    expect(plan.start).toEqual({ shell: 'daphne -b 0.0.0.0 -p $PORT chat.asgi:application' });
  });
});
