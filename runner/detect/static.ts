// Static sites: Jekyll and Hugo builds, single-page apps built with Node, and plain HTML,
// all served by lighttpd as a non-root user.
import type { Framework, KilnConfig } from '../../contract/config-schema';
import { resolveBuildCommand, resolvePort, resolveStart } from './common';
import { detectNodeBuild, inAppDir, nodeApp, nodeDependencies, readPackageJson } from './node';
import { nodeBuildKind } from './node-frameworks';
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
  const rootPkg = readPackageJson(snapshot);
  if (framework === 'node-static' && rootPkg) {
    const app = nodeApp(snapshot, rootPkg, config, log);
    const kind = nodeBuildKind(app.pkg, app.snapshot);
    const site = kind?.kind === 'site' ? kind : undefined;
    const outputDir = site?.outputDir ?? 'dist';
    const nodeBuild = detectNodeBuild(
      snapshot,
      rootPkg,
      log,
      {
        dir: app.dir === null ? outputDir : `${app.dir}/${outputDir}`,
        source: site ? `${site.name} convention` : 'default',
      },
      'build',
    );
    nodeBuild.buildCommand = inAppDir(app.dir, nodeBuild.buildCommand);
    const spa = site?.spa ?? true;
    log.decide('unknown paths', spa ? '/index.html (single-page app)' : '404', site?.source ?? 'default');
    return {
      ...base,
      generator: 'node',
      // Only git: the site's packages run at build time, the image serves files.
      dependencies: { ...nodeDependencies(app.pkg), names: [] },
      nodeBuild,
      siteDir: nodeBuild.outputDir,
      spaFallback: spa,
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
