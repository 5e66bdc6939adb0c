import { nodeDependencies } from '../../../../runner/detect/node';
import { decision, detect, detectError, pkg } from './helpers';

const express = pkg({ scripts: { start: 'node server.js' }, dependencies: { express: '4' } });

describe('Node.js detection', () => {
  describe('package manager', () => {
    it.each([
      ['bun.lock', 'bun'],
      ['bun.lockb', 'bun'],
      ['pnpm-lock.yaml', 'pnpm'],
      ['yarn.lock', 'yarn'],
      ['package-lock.json', 'npm'],
      ['npm-shrinkwrap.json', 'npm'],
    ])('%s means %s', (lockfile, manager) => {
      expect(decision({ 'package.json': express, [lockfile]: '' }, 'package manager')).toBe(
        `${manager} (from ${lockfile})`,
      );
    });

    it('follows bun > pnpm > yarn > npm and warns about the other lockfiles', () => {
      const result = detect({
        'package.json': express,
        'yarn.lock': '',
        'package-lock.json': '{}',
        'pnpm-lock.yaml': '',
      });
      expect(result.plan).toMatchObject({ packageManager: 'pnpm', lockfile: 'pnpm-lock.yaml' });
      expect(result.warnings).toContain(
        'found yarn.lock, package-lock.json as well; installing with pnpm from pnpm-lock.yaml. Delete the lockfiles you do not use.',
      );
    });

    it('recognises yarn berry from .yarnrc.yml', () => {
      expect(detect({ 'package.json': express, 'yarn.lock': '', '.yarnrc.yml': '' }).plan).toMatchObject({
        packageManager: 'yarn-berry',
      });
    });

    it('honours the packageManager field over the lockfiles', () => {
      const files = {
        'package.json': pkg({ ...JSON.parse(express), packageManager: 'yarn@4.5.0' }),
        'package-lock.json': '',
      };
      const result = detect(files);
      expect(result.plan).toMatchObject({
        packageManager: 'yarn-berry',
        packageManagerSpec: '@yarnpkg/cli-dist@4.5.0',
        lockfile: null,
      });
      expect(decision(files, 'package manager')).toBe('yarn-berry (from package.json (packageManager))');
    });

    it('warns and installs without a frozen lockfile when there is none', () => {
      const result = detect({ 'package.json': express });
      expect(result.plan).toMatchObject({ packageManager: 'npm', lockfile: null });
      expect(result.warnings).toContain(
        'no lockfile for npm: dependencies are installed without a frozen lockfile, so builds may differ',
      );
    });
  });

  describe('version', () => {
    const base = { 'package.json': pkg({ ...JSON.parse(express), engines: { node: '>=18 <23' } }) };
    it('reads .node-version first', () => {
      expect(decision({ ...base, '.node-version': 'v20.11.1\n', '.nvmrc': '18' }, 'node version')).toBe(
        '20 (from .node-version)',
      );
    });
    it('then .nvmrc, with LTS codenames', () => {
      expect(
        decision({ ...base, '.nvmrc': 'lts/iron', '.tool-versions': 'nodejs 18.0.0' }, 'node version'),
      ).toBe('20 (from .nvmrc)');
    });
    it('then .tool-versions', () => {
      expect(decision({ ...base, '.tool-versions': 'ruby 3.3.0\nnodejs 22.11.0\n' }, 'node version')).toBe(
        '22 (from .tool-versions)',
      );
    });
    it('then engines.node (the newest allowed major for a range)', () => {
      expect(
        decision({ 'package.json': pkg({ engines: { node: '^20.10.0' }, main: 'a.js' }) }, 'node version'),
      ).toBe('20 (from package.json (engines.node))');
      expect(
        decision({ 'package.json': pkg({ engines: { node: '>=18' }, main: 'a.js' }) }, 'node version'),
      ).toBe('24 (from package.json (engines.node))');
    });
    it('defaults to the current LTS (24)', () => {
      expect(decision({ 'package.json': express }, 'node version')).toBe('24 (from default)');
    });
    it('rejects a version it cannot read, naming the file', () => {
      const error = detectError({ 'package.json': express, '.nvmrc': 'banana' });
      expect(error.message).toBe('.nvmrc: "banana" is not a valid Node.js version');
      expect(error.hint).toBe(
        'Write a version such as 24, 22.11.0 or lts/jod, or remove the file to use the default.',
      );
    });
  });

  describe('framework and start command', () => {
    it('Express with a `node server.js` start script runs node directly', () => {
      const { plan } = detect({ 'package.json': express });
      expect(plan).toMatchObject({
        framework: 'express',
        start: { argv: ['node', 'server.js'] },
        port: 3000,
      });
    });
    it('a complex start script runs through npm start', () => {
      const { plan } = detect({ 'package.json': pkg({ scripts: { start: 'node a.js && node b.js' } }) });
      expect(plan).toMatchObject({ framework: 'node', start: { argv: ['npm', 'start'] } });
    });
    it('falls back to main, then server.js', () => {
      expect(detect({ 'package.json': pkg({ main: 'lib/app.js' }) }).plan.start).toEqual({
        argv: ['node', 'lib/app.js'],
      });
      expect(detect({ 'package.json': pkg({}), 'server.js': '' }).plan.start).toEqual({
        argv: ['node', 'server.js'],
      });
    });
    it('runs the build script when present', () => {
      const files = {
        'package.json': pkg({ scripts: { build: 'tsc', start: 'node dist/index.js' } }),
        'pnpm-lock.yaml': '',
      };
      expect(detect(files).plan.buildCommand).toBe('pnpm run build');
    });
    it('Next.js with standalone output runs server.js', () => {
      const files = {
        'package.json': pkg({
          scripts: { build: 'next build', start: 'next start' },
          dependencies: { next: '15' },
        }),
        'next.config.mjs': "export default { output: 'standalone' };",
      };
      expect(detect(files).plan).toMatchObject({
        framework: 'nextjs',
        nextStandalone: true,
        start: { argv: ['node', 'server.js'] },
      });
    });
    it('Next.js without standalone output runs its start script', () => {
      const files = {
        'package.json': pkg({ scripts: { start: 'next start' }, dependencies: { next: '15' } }),
      };
      expect(detect(files).plan).toMatchObject({
        framework: 'nextjs',
        nextStandalone: false,
        start: { argv: ['npm', 'start'] },
      });
    });
    it('NestJS runs dist/main', () => {
      const files = {
        'package.json': pkg({ scripts: { build: 'nest build' }, dependencies: { '@nestjs/core': '11' } }),
      };
      expect(detect(files).plan).toMatchObject({
        framework: 'nestjs',
        start: { argv: ['node', 'dist/main'] },
      });
    });
    it('a Vite app with no server is a static single-page app', () => {
      const files = {
        'package.json': pkg({ scripts: { build: 'vite build' }, devDependencies: { vite: '6' } }),
      };
      expect(detect(files).plan).toMatchObject({
        framework: 'node-static',
        ecosystem: 'static',
        siteDir: 'dist',
        spaFallback: true,
      });
    });
    it('create-react-app output is build/', () => {
      const files = {
        'package.json': pkg({
          scripts: { build: 'react-scripts build' },
          dependencies: { 'react-scripts': '5' },
        }),
      };
      expect(detect(files).plan).toMatchObject({ framework: 'node-static', siteDir: 'build' });
    });
    it('the Procfile web line wins over the start script', () => {
      const files = {
        'package.json': express,
        Procfile: 'worker: node worker.js\nweb: node cluster.js --port $PORT\n',
      };
      expect(decision(files, 'start command')).toBe('node cluster.js --port $PORT (from Procfile)');
    });
    it('config startCommand, port and buildCommand win over everything', () => {
      const files = { 'package.json': express, Procfile: 'web: node other.js' };
      const config = { startCommand: 'node custom.js', port: 8081, buildCommand: 'make assets' };
      expect(detect(files, config).plan).toMatchObject({
        start: { shell: 'node custom.js' },
        port: 8081,
        buildCommand: 'make assets',
      });
      expect(decision(files, 'port', config)).toBe('8081 (from kiln.config (port))');
    });
    it('config framework overrides detection', () => {
      expect(
        detect({ 'package.json': express, 'index.html': '' }, { framework: 'static' }).plan.framework,
      ).toBe('static');
    });
  });
});

describe('pnpm release', () => {
  const app = { 'package.json': pkg({ main: 'index.js' }) };
  it('comes from the packageManager field, without its hash', () => {
    const files = {
      'package.json': pkg({ main: 'index.js', packageManager: 'pnpm@9.15.9+sha512.abc' }),
      'pnpm-lock.yaml': '',
    };
    expect(detect(files).plan).toMatchObject({ packageManagerSpec: 'pnpm@9.15.9' });
  });
  it('else matches the lockfile version', () => {
    expect(decision({ ...app, 'pnpm-lock.yaml': "lockfileVersion: '6.0'\n" }, 'pnpm version')).toBe(
      'pnpm@8 (from pnpm-lock.yaml (lockfileVersion))',
    );
    expect(decision({ ...app, 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" }, 'pnpm version')).toBe(
      'pnpm@10 (from pnpm-lock.yaml (lockfileVersion))',
    );
  });

  describe('git-sourced dependencies (the install stage needs git)', () => {
    it.each([
      'acme/plugin',
      'acme/plugin#v1.0.0',
      'github:acme/plugin',
      'git+https://example.com/acme/plugin.git',
      'git@github.com:acme/plugin.git',
    ])('%s is cloned', (spec) => {
      expect(nodeDependencies({ dependencies: { plugin: spec } }).gitSource).toBe('package.json');
    });

    it.each([
      '^1.2.0',
      'latest',
      'file:../plugin',
      '../plugin',
      'workspace:*',
      'npm:@acme/plugin@1',
      'https://example.com/plugin.tgz',
    ])('%s is not', (spec) => {
      expect(nodeDependencies({ dependencies: { plugin: spec } }).gitSource).toBeUndefined();
    });
  });
});

describe('bun release (installed with npm on the official Node image)', () => {
  const app = pkg({ scripts: { start: 'bun run server.ts' } });
  it('comes from the packageManager field, without its hash', () => {
    const files = {
      'package.json': pkg({
        scripts: { start: 'bun run server.ts' },
        packageManager: 'bun@1.1.38+sha256.abc',
      }),
      'bun.lock': '{}',
    };
    expect(detect(files).plan).toMatchObject({ packageManager: 'bun', packageManagerSpec: 'bun@1.1.38' });
  });
  it('else is the newest bun 1', () => {
    expect(decision({ 'package.json': app, 'bun.lock': '{}' }, 'bun version')).toBe('bun@1 (from default)');
  });
  it('runs on the Node version the project asks for, like any Node app', () => {
    expect(decision({ 'package.json': app, 'bun.lock': '{}', '.nvmrc': '20' }, 'node version')).toBe(
      '20 (from .nvmrc)',
    );
  });
});
