// Static sites: built (Jekyll, Hugo, a Node single-page app) or copied as they are, then served
// by lighttpd on an unprivileged port as the deploy user. The server config is written in the
// base stage; the port comes from $PORT when the container starts.
import type { StaticPlan } from '../../detect/plan';
import { LIGHTTPD_CONFIG, SITE_ROOT } from '../../detect/static';
import { officialImage } from '../base-images';
import { copy, env, instruction, run } from '../model';
import { nodeImage, nodeInstall } from './node';
import type { Recipe } from './recipe';
import { bundleInstall } from './ruby';

const MIME_TYPES: [string, string][] = [
  ['.html', 'text/html'],
  ['.css', 'text/css'],
  ['.js', 'text/javascript'],
  ['.mjs', 'text/javascript'],
  ['.json', 'application/json'],
  ['.xml', 'application/xml'],
  ['.txt', 'text/plain'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.jpg', 'image/jpeg'],
  ['.gif', 'image/gif'],
  ['.webp', 'image/webp'],
  ['.ico', 'image/x-icon'],
  ['.woff2', 'font/woff2'],
  ['.wasm', 'application/wasm'],
];

export function lighttpdConfig(port: number, spaFallback: boolean): string[] {
  return [
    `server.document-root = "${SITE_ROOT}"`,
    'index-file.names = ( "index.html" )',
    `mimetype.assign = ( ${MIME_TYPES.map(([ext, type]) => `"${ext}" => "${type}"`).join(', ')} )`,
    // A single-page app routes paths without a file extension itself; a missing asset stays a 404
    // (not index.html served as CSS). Other sites answer unknown paths with their own 404.html, and
    // a directory with its index.html.
    ...(spaFallback
      ? [
          'server.modules = ( "mod_rewrite" )',
          'url.rewrite-if-not-file = ( "^[^.?]*([?].*)?$" => "/index.html" )',
        ]
      : ['server.error-handler-404 = "/404.html"']),
    // Read when lighttpd starts, so the container honours $PORT.
    `include_shell "echo server.port = \${PORT:-${port}}"`,
  ];
}

function builder(plan: StaticPlan): Pick<Recipe, 'buildImage' | 'buildPackages' | 'install'> {
  const workdir = '/app';
  switch (plan.generator) {
    case 'jekyll': {
      const image = officialImage('ruby', plan.rubyVersion!);
      const bundled = plan.installFiles.includes('Gemfile');
      return {
        buildImage: { image, workdir, lines: [env({ JEKYLL_ENV: 'production' })] },
        buildPackages: ['build-essential'],
        install: {
          files: plan.installFiles,
          steps: [run(...(bundled ? bundleInstall() : ['gem install jekyll']))],
        },
      };
    }
    case 'node': {
      const build = plan.nodeBuild!;
      return {
        buildImage: { image: nodeImage(build.nodeVersion), workdir, lines: [] },
        buildPackages: [],
        install: nodeInstall(build),
      };
    }
    case 'hugo':
      return { buildPackages: ['hugo'], install: { files: [], steps: [] } };
    case 'none':
      return { buildPackages: [], install: { files: [], steps: [] } };
  }
}

export function staticRecipe(plan: StaticPlan): Recipe {
  const lines = lighttpdConfig(plan.port, plan.spaFallback).map((line) => `'${line}'`);
  const configFile = instruction('RUN', "printf '%s\\n'", ...lines, `> ${LIGHTTPD_CONFIG}`);
  const siteDir = plan.siteDir === '.' ? '/app' : `/app/${plan.siteDir}`;
  return {
    base: officialImage('debian'),
    workdir: '/app',
    basePackages: ['lighttpd'],
    baseLines: [configFile],
    ...builder(plan),
    compile: plan.buildCommand ? [run(plan.buildCommand)] : [],
    deployCopies: [copy([siteDir], SITE_ROOT, { from: 'build' })],
    deployUser: true,
  };
}
