// What a Node.js app's build makes, from its dependencies: a server to start (React Router, Remix,
// SvelteKit with adapter-node, Nuxt, SolidStart, Astro with @astrojs/node) or a site to serve
// (Astro, SvelteKit with adapter-static, Gatsby, Docusaurus, Eleventy, and the single-page app
// tools). Many of these build with Vite, so a `vite` dependency alone says nothing about the output.
import { KilnError } from '../../contract/errors';
import type { PackageJson } from './package-json';
import type { ProjectSnapshot } from './snapshot';
import { firstExisting } from './snapshot';

export interface ServerBuild {
  kind: 'server';
  name: string;
  /** `package.json (<dependency>)`. */
  source: string;
  /** How the built server starts when package.json has no start script. */
  start: string[] | null;
  /** Run-time environment the server needs (most bind to localhost unless HOST says otherwise). */
  env: Record<string, string>;
}

export interface SiteBuild {
  kind: 'site';
  name: string;
  source: string;
  /** Directory the build writes the site to. */
  outputDir: string;
  /** A single-page app: unknown paths get index.html. Multi-page sites get their own 404 page. */
  spa: boolean;
}

export type NodeBuild = ServerBuild | SiteBuild;

const ALL_INTERFACES = { HOST: '0.0.0.0' };
const NITRO_SERVER = ['node', '.output/server/index.mjs'];

function server(name: string, dependency: string, start: string[] | null, env = {}): ServerBuild {
  return { kind: 'server', name, source: `package.json (${dependency})`, start, env };
}

function site(name: string, dependency: string, outputDir: string, spa: boolean): SiteBuild {
  return { kind: 'site', name, source: `package.json (${dependency})`, outputDir, spa };
}

function configText(snapshot: ProjectSnapshot, names: string[]): string {
  const file = firstExisting(snapshot, names);
  return file === undefined ? '' : (snapshot.contents.get(file) ?? '');
}

type Rule = (
  deps: Record<string, string>,
  pkg: PackageJson,
  snapshot: ProjectSnapshot,
) => NodeBuild | undefined;

/** Checked in order; the first that recognises the app decides. */
const RULES: Rule[] = [
  (deps, _pkg, snapshot) => {
    if (!('@react-router/dev' in deps)) return undefined;
    // Framework mode with `ssr: false` prerenders a single-page app into build/client.
    if (/\bssr\s*:\s*false/.test(configText(snapshot, ['react-router.config.ts', 'react-router.config.js'])))
      return site('React Router (SPA mode)', '@react-router/dev', 'build/client', true);
    return '@react-router/serve' in deps
      ? server('React Router', '@react-router/serve', [
          'node_modules/.bin/react-router-serve',
          './build/server/index.js',
        ])
      : server('React Router (custom server)', '@react-router/dev', null);
  },
  (deps) =>
    '@remix-run/serve' in deps
      ? server('Remix', '@remix-run/serve', ['node_modules/.bin/remix-serve', './build/index.js'])
      : undefined,
  (deps, _pkg, snapshot) => {
    if (!('@sveltejs/kit' in deps)) return undefined;
    if ('@sveltejs/adapter-node' in deps)
      return server('SvelteKit (adapter-node)', '@sveltejs/adapter-node', ['node', 'build'], ALL_INTERFACES);
    if ('@sveltejs/adapter-static' in deps) {
      const spa = /fallback\s*:/.test(
        configText(snapshot, ['svelte.config.js', 'svelte.config.mjs', 'svelte.config.ts']),
      );
      return site('SvelteKit (adapter-static)', '@sveltejs/adapter-static', 'build', spa);
    }
    throw new KilnError(
      'this SvelteKit app builds with a hosting platform adapter (adapter-auto or another), which writes no server a container can run',
      'Use @sveltejs/adapter-node (a Node.js server) or @sveltejs/adapter-static (a static site) in svelte.config.js, ' +
        'or bring your own Dockerfile ("dockerfile": { "custom": true }).',
    );
  },
  (deps, pkg) => {
    if (!('nuxt' in deps)) return undefined;
    if (/\bnuxt\s+generate\b/.test(pkg.scripts?.build ?? ''))
      return site('Nuxt (generate)', 'nuxt', '.output/public', false);
    return server('Nuxt', 'nuxt', NITRO_SERVER, ALL_INTERFACES);
  },
  (deps) =>
    '@solidjs/start' in deps
      ? server('SolidStart', '@solidjs/start', NITRO_SERVER, ALL_INTERFACES)
      : undefined,
  (deps) => {
    if (!('astro' in deps)) return undefined;
    return '@astrojs/node' in deps
      ? server('Astro (@astrojs/node)', '@astrojs/node', ['node', './dist/server/entry.mjs'], ALL_INTERFACES)
      : site('Astro', 'astro', 'dist', false);
  },
  (deps) => ('gatsby' in deps ? site('Gatsby', 'gatsby', 'public', false) : undefined),
  (deps) => ('@docusaurus/core' in deps ? site('Docusaurus', '@docusaurus/core', 'build', false) : undefined),
  (deps) => ('@11ty/eleventy' in deps ? site('Eleventy', '@11ty/eleventy', '_site', false) : undefined),
];

/** Single-page app build tools and where each writes its output. */
const SPA_TOOLS: [string, string][] = [
  ['vite', 'dist'],
  ['react-scripts', 'build'],
  ['@angular/cli', 'dist'],
  ['parcel', 'dist'],
];

/** Dependencies that make an app a server, whatever front-end tool it also builds with. */
export const SERVER_DEPENDENCIES = [
  'express',
  'fastify',
  'koa',
  '@hapi/hapi',
  'hono',
  'next',
  '@nestjs/core',
];

/** The build's output, or undefined for an app kiln starts from its scripts (Express and the like). */
export function nodeBuildKind(pkg: PackageJson, snapshot: ProjectSnapshot): NodeBuild | undefined {
  const deps = { ...pkg.devDependencies, ...pkg.dependencies };
  for (const rule of RULES) {
    const found = rule(deps, pkg, snapshot);
    if (found) return found;
  }
  const spa = SPA_TOOLS.find(([name]) => name in deps);
  if (spa && pkg.scripts?.build && !SERVER_DEPENDENCIES.some((name) => name in deps))
    return site('single-page app', spa[0], spa[1], true);
  return undefined;
}
