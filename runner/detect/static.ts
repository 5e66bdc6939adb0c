// Static sites: Jekyll and Hugo builds, single-page apps built with Node, and plain HTML,
// all served by lighttpd as a non-root user.
import type { Framework, KilnConfig } from '../../contract/config-schema';
import { resolveBuildCommand, resolvePort, resolveStart } from './common';
import { detectNodeBuild, readPackageJson, spaTool } from './node';
import { NO_DEPENDENCIES, type StaticPlan } from './plan';
import type { DecisionLog } from './report';
import { detectRubyVersion, rubyDependencies } from './ruby';
import { firstExisting, hasPath, type ProjectSnapshot } from './snapshot';

export const HUGO_CONFIGS = ['hugo.toml', 'hugo.yaml', 'hugo.yml', 'hugo.json'];
export const LIGHTTPD_CONFIG = '/etc/lighttpd/kiln.conf';
/** Where the site is served from in the deployment image. */
export const SITE_ROOT = '/srv/site';

export function isHugo(snapshot: ProjectSnapshot): string | undefined {
  const config = firstExisting(snapshot, HUGO_CONFIGS);
  if (config) return config;
  return hasPath(snapshot, 'config.toml') && (hasPath(snapshot, 'archetypes') || hasPath(snapshot, 'content'))
    ? 'config.toml'
    : undefined;
}

export function isJekyll(snapshot: ProjectSnapshot): string | undefined {
  const config = firstExisting(snapshot, ['_config.yml', '_config.yaml']);
  return config && firstExisting(snapshot, ['_posts', '_layouts', '_includes']) ? config : undefined;
}

export function plainSiteRoot(snapshot: ProjectSnapshot): string | undefined {
  if (hasPath(snapshot, 'index.html')) return '.';
  if (hasPath(snapshot, 'public/index.html')) return 'public';
  return undefined;
}

export function detectStatic(
  snapshot: ProjectSnapshot,
  config: KilnConfig,
  log: DecisionLog,
  framework: Framework,
): StaticPlan {
  const base = {
    ecosystem: 'static' as const,
    framework,
    version: 'bookworm',
    port: resolvePort(log, config, 8080, 'kiln static server'),
    start: resolveStart(log, config, snapshot, {
      start: { argv: ['lighttpd', '-D', '-f', LIGHTTPD_CONFIG] },
      source: 'kiln static server',
    }),
    dependencies: NO_DEPENDENCIES,
    writableDirs: [],
    assets: null,
    nodeBuild: null,
    rubyVersion: null,
    installFiles: [],
    spaFallback: false,
  };
  if (framework === 'jekyll') {
    const rubyVersion = detectRubyVersion(snapshot, log);
    const hasGemfile = hasPath(snapshot, 'Gemfile');
    return {
      ...base,
      generator: 'jekyll',
      siteDir: '_site',
      rubyVersion,
      installFiles: ['Gemfile', 'Gemfile.lock'].filter((file) => hasPath(snapshot, file)),
      dependencies: hasGemfile ? { ...rubyDependencies(snapshot), names: [] } : NO_DEPENDENCIES,
      buildCommand: resolveBuildCommand(log, config, {
        command: `${hasGemfile ? 'bundle exec ' : ''}jekyll build`,
        source: hasGemfile ? 'Gemfile' : '_config.yml',
      }),
    };
  }
  if (framework === 'hugo') {
    return {
      ...base,
      generator: 'hugo',
      siteDir: 'public',
      buildCommand: resolveBuildCommand(log, config, {
        command: 'hugo --minify',
        source: isHugo(snapshot) ?? 'default',
      }),
    };
  }
  const pkg = readPackageJson(snapshot);
  const tool = pkg && spaTool(pkg);
  if (framework === 'node-static' && pkg) {
    const nodeBuild = detectNodeBuild(
      snapshot,
      pkg,
      log,
      { dir: tool?.[1] ?? 'dist', source: tool ? `${tool[0]} convention` : 'default' },
      'build',
    );
    return {
      ...base,
      generator: 'node',
      nodeBuild,
      siteDir: nodeBuild.outputDir,
      spaFallback: true,
      buildCommand: resolveBuildCommand(log, config, {
        command: nodeBuild.buildCommand,
        source: 'package.json (scripts.build)',
      }),
    };
  }
  const root = plainSiteRoot(snapshot) ?? '.';
  log.decide('site root', root, root === '.' ? 'index.html' : `${root}/index.html`);
  return { ...base, generator: 'none', siteDir: root, buildCommand: resolveBuildCommand(log, config, null) };
}
