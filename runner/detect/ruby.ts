// Ruby: Bundler with Gemfile.lock; Rails (bootsnap, assets, jemalloc) or Rack (config.ru).
import type { Framework, KilnConfig } from '../../contract/config-schema';
import { requireStart, resolveBuildCommand, resolvePort, resolveStart } from './common';
import type { DependencyList, RubyPlan, StartCommand } from './plan';
import type { DecisionLog } from './report';
import { hasPath, type ProjectSnapshot } from './snapshot';
import { DEFAULT_VERSIONS, pickVersion, rubyMinor, toolVersion, versionFile } from './versions';

/** Gem names from Gemfile.lock (or the Gemfile when there is no lockfile). */
export function rubyDependencies(snapshot: ProjectSnapshot): DependencyList {
  const lock = snapshot.contents.get('Gemfile.lock');
  const gemfile = snapshot.contents.get('Gemfile') ?? '';
  if (lock !== undefined) {
    const names = [...lock.matchAll(/^ {4}([\w.-]+) \(/gm)].map((match) => ({
      name: match[1]!,
      source: 'Gemfile.lock',
    }));
    return { ecosystem: 'ruby', names, gitSource: /^GIT$/m.test(lock) ? 'Gemfile.lock' : undefined };
  }
  const names = [...gemfile.matchAll(/^\s*gem\s+["']([\w.-]+)["']/gm)].map((match) => ({
    name: match[1]!,
    source: 'Gemfile',
  }));
  return { ecosystem: 'ruby', names, gitSource: /\b(git|github):/.test(gemfile) ? 'Gemfile' : undefined };
}

export function rubyFramework(snapshot: ProjectSnapshot): { framework: Framework; source: string } {
  const deps = new Map(rubyDependencies(snapshot).names.map(({ name, source }) => [name, source]));
  if (deps.has('jekyll')) return { framework: 'jekyll', source: deps.get('jekyll')! };
  if (hasPath(snapshot, 'config/application.rb'))
    return { framework: 'rails', source: 'config/application.rb' };
  if (deps.has('rails')) return { framework: 'rails', source: deps.get('rails')! };
  if (hasPath(snapshot, 'config.ru')) return { framework: 'rack', source: 'config.ru' };
  return { framework: 'ruby', source: 'Gemfile' };
}

export function detectRubyVersion(snapshot: ProjectSnapshot, log: DecisionLog): string {
  const gemfileRuby = /^\s*ruby\s+["']([^"']+)["']/m.exec(snapshot.contents.get('Gemfile') ?? '');
  return pickVersion(
    log,
    'ruby version',
    [
      versionFile(snapshot, '.ruby-version'),
      gemfileRuby ? { file: 'Gemfile (ruby)', raw: gemfileRuby[1]! } : undefined,
      toolVersion(snapshot, ['ruby']),
    ],
    rubyMinor,
    DEFAULT_VERSIONS.ruby,
  );
}

function detectStart(
  snapshot: ProjectSnapshot,
  framework: Framework,
): { start: StartCommand; source: string } {
  if (framework === 'rails')
    return { start: { argv: ['./bin/rails', 'server', '-b', '0.0.0.0'] }, source: 'Rails convention' };
  if (framework === 'rack')
    return { start: { shell: 'bundle exec rackup --host 0.0.0.0 --port $PORT' }, source: 'config.ru' };
  if (hasPath(snapshot, 'app.rb'))
    return { start: { argv: ['bundle', 'exec', 'ruby', 'app.rb'] }, source: 'app.rb' };
  return { start: { argv: [] }, source: 'nothing' };
}

export function detectRuby(
  snapshot: ProjectSnapshot,
  config: KilnConfig,
  log: DecisionLog,
  framework: Framework,
): RubyPlan {
  const version = detectRubyVersion(snapshot, log);
  const lockfile = hasPath(snapshot, 'Gemfile.lock') ? 'Gemfile.lock' : null;
  if (lockfile === null)
    log.warn('no Gemfile.lock: gems are resolved at build time, so builds may differ (run `bundle lock`)');
  const dependencies = rubyDependencies(snapshot);
  const gems = new Set(dependencies.names.map(({ name }) => name));
  const start = requireStart(
    resolveStart(log, config, snapshot, detectStart(snapshot, framework)),
    'cannot tell how to start this Ruby app (no Rails app, config.ru or app.rb)',
  );
  const rails = framework === 'rails';
  return {
    ecosystem: 'ruby',
    framework,
    version,
    lockfile,
    installFiles: ['Gemfile', 'Gemfile.lock', '.ruby-version'].filter((file) => hasPath(snapshot, file)),
    port: resolvePort(log, config, framework === 'rack' ? 9292 : 3000, `${framework} convention`),
    start,
    buildCommand: resolveBuildCommand(
      log,
      config,
      rails
        ? { command: 'SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile', source: 'Rails convention' }
        : null,
    ),
    dependencies,
    writableDirs: rails ? ['db', 'log', 'storage', 'tmp'] : [],
    assets: null,
    rails,
    bootsnap: rails && gems.has('bootsnap'),
  };
}
