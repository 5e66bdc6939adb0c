import { decision, detect, detectError } from './helpers';

const lock = (...gems: string[]) =>
  `GEM\n  remote: https://rubygems.org/\n  specs:\n${gems.map((g) => `    ${g} (1.0)\n`).join('')}\nPLATFORMS\n  ruby\n`;

describe('Ruby detection', () => {
  it('Rails from config/application.rb, with bootsnap and writable dirs', () => {
    const files = { Gemfile: '', 'Gemfile.lock': lock('rails', 'bootsnap'), 'config/application.rb': '' };
    expect(detect(files).plan).toMatchObject({
      framework: 'rails',
      bootsnap: true,
      writableDirs: ['db', 'log', 'storage', 'tmp'],
      buildCommand: 'SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile',
    });
  });
  it('Rack from config.ru runs rackup on $PORT', () => {
    expect(detect({ Gemfile: '', 'Gemfile.lock': lock('sinatra'), 'config.ru': '' }).plan).toMatchObject({
      framework: 'rack',
      port: 9292,
      start: { shell: 'bundle exec rackup --host 0.0.0.0 --port $PORT' },
    });
  });
  it('reads .ruby-version, then the Gemfile ruby line, then .tool-versions', () => {
    const files = {
      Gemfile: 'ruby "3.2.2"\n',
      'config.ru': '',
      '.ruby-version': 'ruby-3.3.5',
      '.tool-versions': 'ruby 3.1.0',
    };
    expect(decision(files, 'ruby version')).toBe('3.3 (from .ruby-version)');
    const { '.ruby-version': _, ...rest } = files;
    expect(decision(rest, 'ruby version')).toBe('3.2 (from Gemfile (ruby))');
    expect(decision({ Gemfile: '', 'config.ru': '', '.tool-versions': 'ruby 3.1.0' }, 'ruby version')).toBe(
      '3.1 (from .tool-versions)',
    );
    expect(decision({ Gemfile: '', 'config.ru': '' }, 'ruby version')).toBe('3.4 (from default)');
  });
  it('warns without Gemfile.lock', () => {
    expect(detect({ Gemfile: '', 'config.ru': '' }).warnings[0]).toMatch(/^no Gemfile\.lock/);
  });
  it('rejects an invalid Ruby version', () => {
    expect(detectError({ Gemfile: '', 'config.ru': '', '.ruby-version': 'jruby-9.4' }).message).toBe(
      '.ruby-version: "jruby-9.4" is not a valid Ruby version',
    );
  });
  it('a Rails app with a package.json build gets an assets stage feeding the build stage', () => {
    const files = {
      Gemfile: '',
      'config/application.rb': '',
      'package.json': JSON.stringify({
        scripts: { build: 'esbuild app.js --bundle --outdir=app/assets/builds' },
      }),
      'yarn.lock': '',
    };
    expect(detect(files).plan.assets).toMatchObject({
      packageManager: 'yarn',
      outputDir: 'app/assets/builds',
      into: 'build',
    });
  });
});

describe('Go detection', () => {
  it('uses the toolchain line over the go line', () => {
    expect(
      decision({ 'go.mod': 'module x\n\ngo 1.21\n\ntoolchain go1.22.5\n', 'main.go': '' }, 'go version'),
    ).toBe('1.22 (from go.mod (toolchain))');
    expect(decision({ 'go.mod': 'module x\ngo 1.21.3\n', 'main.go': '' }, 'go version')).toBe(
      '1.21 (from go.mod (go))',
    );
  });
  it('builds the root package, or the first command under cmd/', () => {
    expect(detect({ 'go.mod': 'go 1.22', 'main.go': '' }).plan).toMatchObject({ mainPackage: '.' });
    const cmd = detect({ 'go.mod': 'go 1.22', 'cmd/api/main.go': '', 'cmd/worker/main.go': '' });
    expect(cmd.plan).toMatchObject({ mainPackage: './cmd/api' });
    expect(cmd.warnings[0]).toMatch(/^several commands under cmd\//);
  });
  it('rejects an invalid go line', () => {
    expect(detectError({ 'go.mod': 'go one\n' }).message).toBe('go.mod: "one" is not a valid Go version');
  });
});

describe('static sites', () => {
  it('Hugo from hugo.toml builds into public/', () => {
    expect(detect({ 'hugo.toml': '' }).plan).toMatchObject({
      framework: 'hugo',
      siteDir: 'public',
      buildCommand: 'hugo --minify',
    });
  });
  it('Jekyll from _config.yml with _posts builds _site/ (gem install without a Gemfile)', () => {
    expect(detect({ '_config.yml': '', '_posts/a.md': '' }).plan).toMatchObject({
      framework: 'jekyll',
      siteDir: '_site',
      buildCommand: 'jekyll build',
    });
  });
  it('Jekyll from the Gemfile builds with bundler', () => {
    expect(detect({ Gemfile: 'gem "jekyll"', '_config.yml': '' }).plan).toMatchObject({
      buildCommand: 'bundle exec jekyll build',
    });
  });
  it('plain index.html, or public/index.html', () => {
    expect(detect({ 'index.html': '' }).plan).toMatchObject({ framework: 'static', siteDir: '.' });
    expect(detect({ 'public/index.html': '' }).plan).toMatchObject({
      framework: 'static',
      siteDir: 'public',
    });
  });
});

describe('unrecognised projects', () => {
  it('list what was looked for and how to bring a Dockerfile or image', () => {
    const error = detectError({ 'README.md': '' });
    expect(error.message).toMatch(/^no app kiln recognises in this directory\. Looked for:\n {4}- Gemfile/);
    expect(error.message).toContain('go.mod (Go)');
    expect(error.hint).toBe(
      'Set "framework" in kiln.config.json, bring your own Dockerfile ("dockerfile": { "custom": true }), ' +
        'or use a prebuilt image ("docker": { "image": "..." } or KILN_DOCKER_IMAGE).',
    );
  });
  it('report invalid JSON in package.json', () => {
    expect(detectError({ 'package.json': '{' }).message).toMatch(/^package\.json is not valid JSON: /);
  });
});
