// Node.js: package manager from the lockfile (or the packageManager field), version from the
// version files, framework from dependencies, start command from scripts.
import type { Framework, KilnConfig } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import { readJson, resolveBuildCommand, resolvePort, resolveStart } from './common';
import type {
  DependencyList,
  NodeAssets,
  NodeInstall,
  NodePackageManager,
  NodePlan,
  StartCommand,
} from './plan';
import { DEFAULT_SOURCE, type DecisionLog } from './report';
import { firstExisting, hasPath, type ProjectSnapshot } from './snapshot';
import { DEFAULT_VERSIONS, nodeMajor, pickVersion, toolVersion, versionFile } from './versions';

export interface PackageJson {
  name?: string;
  main?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  engines?: { node?: string };
  packageManager?: string;
}

/** Lockfiles in precedence order. */
const LOCKFILES: [string, NodePackageManager][] = [
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];
/** Files the package managers read during install, copied with the lockfile. */
const INSTALL_FILES = ['.npmrc', '.yarnrc.yml', '.yarnrc', 'pnpm-workspace.yaml', '.pnpmfile.cjs'];
/** Single-page app build tools and where each writes its output. */
const SPA_TOOLS: [string, string][] = [
  ['vite', 'dist'],
  ['react-scripts', 'build'],
  ['@angular/cli', 'dist'],
  ['parcel', 'dist'],
  ['astro', 'dist'],
];
/** Conventional entry files: one makes package.json a runnable app, and is what `node` starts. */
const ENTRY_FILES = ['server.js', 'index.js', 'app.js'];
const SERVER_DEPENDENCIES = [
  'express',
  'fastify',
  'koa',
  '@hapi/hapi',
  'next',
  '@nestjs/core',
  'hono',
  'nuxt',
  '@remix-run/serve',
];

export function readPackageJson(snapshot: ProjectSnapshot): PackageJson | undefined {
  return readJson(snapshot, 'package.json') as PackageJson | undefined;
}

export function allDependencies(pkg: PackageJson): Record<string, string> {
  return { ...pkg.devDependencies, ...pkg.dependencies };
}

function packageManagerField(pkg: PackageJson): { manager: NodePackageManager; spec: string } | undefined {
  const match = /^(npm|pnpm|yarn|bun)@(\d+)/.exec(pkg.packageManager ?? '');
  if (!match) return undefined;
  const name = match[1] as NodePackageManager;
  const manager = name === 'yarn' && Number(match[2]) >= 2 ? 'yarn-berry' : name;
  return { manager, spec: pkg.packageManager! };
}

function isYarnBerry(snapshot: ProjectSnapshot): boolean {
  return hasPath(snapshot, '.yarnrc.yml') || /__metadata:/.test(snapshot.contents.get('yarn.lock') ?? '');
}

export const BUN_VERSION = '1';

/** pnpm release for each pnpm-lock.yaml lockfileVersion major. */
const PNPM_FOR_LOCKFILE: Record<string, string> = { '5': '7', '6': '8', '9': '10' };

/** The pnpm to install: the packageManager field's version, else the release that writes this lockfile. */
function pnpmSpec(snapshot: ProjectSnapshot, field: string | undefined, log: DecisionLog): string {
  if (field !== undefined)
    return log.decide('pnpm version', field.replace(/\+.*$/, ''), 'package.json (packageManager)');
  const lockfileVersion = /^lockfileVersion:\s*['"]?(\d+)/m.exec(
    snapshot.contents.get('pnpm-lock.yaml') ?? '',
  )?.[1];
  const release = PNPM_FOR_LOCKFILE[lockfileVersion ?? ''];
  return release
    ? log.decide('pnpm version', `pnpm@${release}`, 'pnpm-lock.yaml (lockfileVersion)')
    : log.decide('pnpm version', 'pnpm@10', DEFAULT_SOURCE);
}

/** Package manager, lockfile and install files: shared by Node apps, SPA builds and assets stages. */
export function detectNodeInstall(
  snapshot: ProjectSnapshot,
  pkg: PackageJson,
  log: DecisionLog,
): NodeInstall {
  const present = LOCKFILES.filter(([file]) => hasPath(snapshot, file));
  const field = packageManagerField(pkg);
  const family = (manager: NodePackageManager) => (manager === 'yarn-berry' ? 'yarn' : manager);
  let manager: NodePackageManager;
  let lockfile: string | null;
  if (field !== undefined) {
    manager = log.decide('package manager', field.manager, 'package.json (packageManager)');
    lockfile = present.find(([, m]) => m === family(field.manager))?.[0] ?? null;
  } else if (present.length > 0) {
    const [file, found] = present[0]!;
    manager = log.decide(
      'package manager',
      found === 'yarn' && isYarnBerry(snapshot) ? 'yarn-berry' : found,
      file,
    );
    lockfile = file;
  } else {
    manager = log.decide('package manager', 'npm', DEFAULT_SOURCE);
    lockfile = null;
  }
  const conflicting = present.filter(([file, m]) => file !== lockfile && m !== family(manager));
  if (conflicting.length > 0) {
    log.warn(
      `found ${conflicting.map(([file]) => file).join(', ')} as well; installing with ${manager}` +
        `${lockfile ? ` from ${lockfile}` : ''}. Delete the lockfiles you do not use.`,
    );
  }
  if (lockfile === null) {
    log.warn(
      `no lockfile for ${manager}: dependencies are installed without a frozen lockfile, so builds may differ`,
    );
  }
  return {
    packageManager: manager,
    packageManagerSpec:
      manager === 'pnpm'
        ? pnpmSpec(snapshot, field?.spec, log)
        : manager.startsWith('yarn')
          ? (field?.spec ?? null)
          : null,
    lockfile,
    installFiles: INSTALL_FILES.filter((file) => hasPath(snapshot, file)),
  };
}

export function detectNodeVersion(snapshot: ProjectSnapshot, pkg: PackageJson, log: DecisionLog): string {
  const engines = enginesNode(pkg.engines?.node);
  return pickVersion(
    log,
    'node version',
    [
      versionFile(snapshot, '.node-version'),
      versionFile(snapshot, '.nvmrc'),
      toolVersion(snapshot, ['nodejs', 'node']),
      engines ? { file: 'package.json (engines.node)', raw: engines } : undefined,
    ],
    nodeMajor,
    DEFAULT_VERSIONS.node,
  );
}

/** `"node": 20` means what `"node": "20"` does; any other non-string is a mistake worth naming. */
function enginesNode(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  if (typeof value === 'number') return String(value);
  throw new KilnError(
    `package.json: engines.node must be a version string such as ">=20", not ${JSON.stringify(value)}`,
    'Fix engines.node in package.json.',
  );
}

/** Bun apps run on the bun image, whose tag follows bun's releases rather than Node's. */
function detectRuntimeVersion(
  snapshot: ProjectSnapshot,
  pkg: PackageJson,
  install: NodeInstall,
  log: DecisionLog,
): string {
  return install.packageManager === 'bun'
    ? log.decide('bun version', BUN_VERSION, 'oven/bun image')
    : detectNodeVersion(snapshot, pkg, log);
}

export function runScript(manager: NodePackageManager, script: string): string {
  return `${manager === 'yarn-berry' ? 'yarn' : manager} run ${script}`;
}

function nodeDependencies(pkg: PackageJson): DependencyList {
  const deps = allDependencies(pkg);
  const gitSourced = Object.values(deps).some((spec) =>
    /^(git\+|git:|github:|gitlab:|bitbucket:|git@)|\.git(#|$)/.test(spec),
  );
  return {
    ecosystem: 'node',
    names: Object.keys(deps)
      .sort()
      .map((name) => ({ name, source: 'package.json' })),
    gitSource: gitSourced ? 'package.json' : undefined,
  };
}

/** The Node build of a single-page app or of a polyglot app's assets. */
export function detectNodeBuild(
  snapshot: ProjectSnapshot,
  pkg: PackageJson,
  log: DecisionLog,
  outputDir: { dir: string; source: string },
  into: NodeAssets['into'],
): NodeAssets {
  const install = detectNodeInstall(snapshot, pkg, log);
  return {
    ...install,
    nodeVersion: detectRuntimeVersion(snapshot, pkg, install, log),
    buildCommand: log.decide(
      'assets build',
      runScript(install.packageManager, 'build'),
      'package.json (scripts.build)',
    ),
    outputDir: log.decide('assets output', outputDir.dir, outputDir.source),
    into,
  };
}

/** Node framework from dependencies; undefined when package.json describes no runnable app. */
export function nodeFramework(
  snapshot: ProjectSnapshot,
  pkg: PackageJson,
): { framework: Framework; source: string } | undefined {
  const deps = allDependencies(pkg);
  if ('next' in deps) return { framework: 'nextjs', source: 'package.json (next)' };
  if ('@nestjs/core' in deps) return { framework: 'nestjs', source: 'package.json (@nestjs/core)' };
  const spa = spaTool(pkg);
  if (spa && pkg.scripts?.build && !SERVER_DEPENDENCIES.some((name) => name in deps)) {
    return { framework: 'node-static', source: `package.json (${spa[0]})` };
  }
  if ('express' in deps) return { framework: 'express', source: 'package.json (express)' };
  if (pkg.scripts?.start || pkg.main || firstExisting(snapshot, ENTRY_FILES)) {
    return { framework: 'node', source: 'package.json' };
  }
  return undefined;
}

export function spaTool(pkg: PackageJson): [string, string] | undefined {
  const deps = allDependencies(pkg);
  return SPA_TOOLS.find(([name]) => name in deps);
}

/** `node server.js --flag` runs directly (no npm wrapper between the container and the app's signals). */
function startFromScripts(
  snapshot: ProjectSnapshot,
  pkg: PackageJson,
  manager: NodePackageManager,
): { start: StartCommand; source: string } {
  const script = pkg.scripts?.start;
  if (script !== undefined) {
    if (/^node\s+[\w./@=-]+(\s+[\w./@=-]+)*$/.test(script.trim())) {
      return { start: { argv: script.trim().split(/\s+/) }, source: 'package.json (scripts.start)' };
    }
    return {
      start: { argv: manager === 'bun' ? ['bun', 'run', 'start'] : ['npm', 'start'] },
      source: 'package.json (scripts.start)',
    };
  }
  if (pkg.main) return { start: { argv: ['node', pkg.main] }, source: 'package.json (main)' };
  const entry = firstExisting(snapshot, ENTRY_FILES) ?? 'index.js';
  return { start: { argv: ['node', entry] }, source: entry };
}

export function detectNode(
  snapshot: ProjectSnapshot,
  config: KilnConfig,
  log: DecisionLog,
  framework: Framework,
): NodePlan {
  const pkg = readPackageJson(snapshot) ?? {};
  const install = detectNodeInstall(snapshot, pkg, log);
  const version = detectRuntimeVersion(snapshot, pkg, install, log);
  const nextConfigFile = firstExisting(snapshot, [
    'next.config.js',
    'next.config.mjs',
    'next.config.cjs',
    'next.config.ts',
  ]);
  const nextStandalone =
    framework === 'nextjs' &&
    nextConfigFile !== undefined &&
    /output\s*:\s*['"]standalone['"]/.test(snapshot.contents.get(nextConfigFile) ?? '');
  if (nextStandalone) log.decide('next.js output', 'standalone', nextConfigFile!);

  let detectedStart: { start: StartCommand; source: string };
  if (nextStandalone) detectedStart = { start: { argv: ['node', 'server.js'] }, source: nextConfigFile! };
  else if (framework === 'nestjs' && !pkg.scripts?.['start:prod']) {
    detectedStart = { start: { argv: ['node', 'dist/main'] }, source: 'NestJS convention' };
  } else if (framework === 'nestjs') {
    detectedStart = {
      start: { argv: ['npm', 'run', 'start:prod'] },
      source: 'package.json (scripts.start:prod)',
    };
  } else if (framework === 'nextjs' && !pkg.scripts?.start) {
    detectedStart = { start: { argv: ['node_modules/.bin/next', 'start'] }, source: 'Next.js convention' };
  } else detectedStart = startFromScripts(snapshot, pkg, install.packageManager);

  return {
    ecosystem: 'node',
    framework,
    version,
    ...install,
    port: resolvePort(log, config, 3000, 'Node.js convention'),
    start: resolveStart(log, config, snapshot, detectedStart),
    buildCommand: resolveBuildCommand(
      log,
      config,
      pkg.scripts?.build
        ? { command: runScript(install.packageManager, 'build'), source: 'package.json (scripts.build)' }
        : null,
    ),
    dependencies: nodeDependencies(pkg),
    writableDirs: framework === 'nextjs' ? ['.next/cache'] : [],
    assets: null,
    nextStandalone,
    hasPublicDir: hasPath(snapshot, 'public'),
  };
}
