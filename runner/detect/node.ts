// Node.js: package manager from the lockfile (or the packageManager field), version from the
// version files, framework from dependencies, start command from scripts.
import type { Framework, KilnConfig } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import { readJson, resolveBuildCommand, resolvePort, resolveStart } from './common';
import { nodeBuildKind } from './node-frameworks';
import type { PackageJson } from './package-json';
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
import { workspaceApp, workspaceMembers } from './workspaces';

export type { PackageJson } from './package-json';

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
/** Conventional entry files: one makes package.json a runnable app, and is what `node` starts. */
const ENTRY_FILES = ['server.js', 'index.js', 'app.js'];

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

/** Bun's release line when the packageManager field names none: the `bun` npm package's major. */
const BUN_RELEASE = '1';

/** Yarn berry release for each yarn.lock `__metadata.version`. */
const YARN_FOR_LOCKFILE: Record<string, string> = { '4': '2', '5': '3', '6': '3', '7': '3', '8': '4' };

/**
 * The yarn to install with npm (no corepack: Node.js 25 drops it, and its signature check fails
 * against registry mirrors). Classic is the `yarn` package; berry is published as
 * `@yarnpkg/cli-dist`. Version: the packageManager field, the release a `yarnPath` names, the
 * release that writes this lockfile, or the newest major.
 */
function yarnSpec(
  snapshot: ProjectSnapshot,
  manager: 'yarn' | 'yarn-berry',
  field: string | undefined,
  log: DecisionLog,
): string {
  const version = (spec: string) => spec.replace(/^yarn@/, '').replace(/\+.*$/, '');
  const named = (release: string) =>
    manager === 'yarn' ? `yarn@${release}` : `@yarnpkg/cli-dist@${release}`;
  if (field !== undefined)
    return log.decide('yarn version', named(version(field)), 'package.json (packageManager)');
  if (manager === 'yarn') return log.decide('yarn version', named('1'), DEFAULT_SOURCE);
  const yarnPath = /^yarnPath:\s*["']?\S*?yarn-(\d+\.\d+\.\d+)\.c?js/m.exec(
    snapshot.contents.get('.yarnrc.yml') ?? '',
  )?.[1];
  if (yarnPath) return log.decide('yarn version', named(yarnPath), '.yarnrc.yml (yarnPath)');
  const metadata = /^__metadata:\s*\n\s+version:\s*(\d+)/m.exec(
    snapshot.contents.get('yarn.lock') ?? '',
  )?.[1];
  const release = YARN_FOR_LOCKFILE[metadata ?? ''];
  return release
    ? log.decide('yarn version', named(release), 'yarn.lock (__metadata.version)')
    : log.decide('yarn version', named('4'), DEFAULT_SOURCE);
}

/** pnpm release for each pnpm-lock.yaml lockfileVersion major. */
const PNPM_FOR_LOCKFILE: Record<string, string> = { '5': '7', '6': '8', '9': '10' };

/**
 * The bun to install with npm on the official Node image (the `bun` package carries the binary for
 * each platform). Not the oven/bun image: it is on Docker Hub outside the official library, so
 * CodeBuild could only pull it anonymously, under Docker Hub's per-address limits.
 */
function bunSpec(field: string | undefined, log: DecisionLog): string {
  return field !== undefined
    ? log.decide('bun version', field.replace(/\+.*$/, ''), 'package.json (packageManager)')
    : log.decide('bun version', `bun@${BUN_RELEASE}`, DEFAULT_SOURCE);
}

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
  const usesWorkspaceProtocol = Object.values(allDependencies(pkg)).some((spec) =>
    spec.startsWith('workspace:'),
  );
  if (lockfile === null && usesWorkspaceProtocol && workspaceMembers(snapshot, pkg).length === 0) {
    throw new KilnError(
      'this app is a member of a workspace (package.json has workspace: dependencies), and its lockfile and the packages it links are in the workspace root',
      'Run kiln from the workspace root (the folder with the lockfile); if the root has several apps, set "workspace" in kiln.config.json to this app\'s folder.',
    );
  }
  return {
    packageManager: manager,
    packageManagerSpec:
      manager === 'pnpm'
        ? pnpmSpec(snapshot, field?.spec, log)
        : manager === 'yarn' || manager === 'yarn-berry'
          ? yarnSpec(snapshot, manager, field?.spec, log)
          : manager === 'bun'
            ? bunSpec(field?.spec, log)
            : null,
    lockfile,
    installFiles: [
      ...INSTALL_FILES.filter((file) => hasPath(snapshot, file)),
      ...workspaceMembers(snapshot, pkg).map((dir) => `${dir}/package.json`),
    ],
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

export function runScript(manager: NodePackageManager, script: string): string {
  return `${manager === 'yarn-berry' ? 'yarn' : manager} run ${script}`;
}

/** A git URL, a hosted-git prefix, or GitHub's `owner/repo[#ref]` shorthand (npm and yarn clone these). */
const GIT_SPEC =
  /^(git\+|git:|github:|gitlab:|bitbucket:|git@)|\.git(#|$)|^[A-Za-z0-9][\w.-]*\/[\w.-]+(#\S*)?$/;

export function nodeDependencies(pkg: PackageJson): DependencyList {
  const deps = allDependencies(pkg);
  const gitSourced = Object.values(deps).some((spec) => GIT_SPEC.test(spec));
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
  scripts: string[] = ['build'],
): NodeAssets {
  const install = detectNodeInstall(snapshot, pkg, log);
  return {
    ...install,
    nodeVersion: detectNodeVersion(snapshot, pkg, log),
    buildCommand: log.decide(
      'assets build',
      scripts.map((script) => runScript(install.packageManager, script)).join(' && '),
      `package.json (${scripts.map((script) => `scripts.${script}`).join(', ')})`,
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
  const build = nodeBuildKind(pkg, snapshot);
  if (build?.kind === 'site') return { framework: 'node-static', source: build.source };
  if (build?.kind === 'server') return { framework: 'node', source: build.source };
  if ('express' in deps) return { framework: 'express', source: 'package.json (express)' };
  if (pkg.scripts?.start || pkg.main || firstExisting(snapshot, ENTRY_FILES)) {
    return { framework: 'node', source: 'package.json' };
  }
  return undefined;
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

/** The package that runs: the root's, or a workspace member's when the root runs nothing itself. */
export interface NodeApp {
  pkg: PackageJson;
  snapshot: ProjectSnapshot;
  /** The member's folder, or null for the root. */
  dir: string | null;
}

/** A workspace member that is an app: recognised by a framework dependency, or with a start script. */
function isApp(snapshot: ProjectSnapshot, pkg: PackageJson): boolean {
  const found = nodeFramework(snapshot, pkg);
  return found !== undefined && (found.source !== 'package.json' || pkg.scripts?.start !== undefined);
}

export function nodeApp(
  snapshot: ProjectSnapshot,
  root: PackageJson,
  config: KilnConfig,
  log?: DecisionLog,
): NodeApp {
  if (config.workspace === undefined && nodeFramework(snapshot, root))
    return { pkg: root, snapshot, dir: null };
  const member = workspaceApp(snapshot, root, config, isApp, log);
  return member
    ? { pkg: member.pkg, snapshot: member.snapshot, dir: member.dir }
    : { pkg: root, snapshot, dir: null };
}

/** A command of a workspace member runs in its folder; `exec` keeps the app the container's PID 1. */
export function inAppDir(dir: string | null, command: string): string {
  return dir === null ? command : `cd ${dir} && ${command}`;
}

function startInAppDir(dir: string | null, start: StartCommand): StartCommand {
  if (dir === null) return start;
  return { shell: inAppDir(dir, `exec ${'argv' in start ? start.argv.join(' ') : start.shell}`) };
}

export function detectNode(
  rootSnapshot: ProjectSnapshot,
  config: KilnConfig,
  log: DecisionLog,
  framework: Framework,
): NodePlan {
  const root = readPackageJson(rootSnapshot) ?? {};
  const { pkg, snapshot, dir } = nodeApp(rootSnapshot, root, config, log);
  const install = detectNodeInstall(rootSnapshot, root, log);
  const version = detectNodeVersion(rootSnapshot, dir === null ? root : { ...pkg, ...root }, log);
  const nextConfigFile = firstExisting(snapshot, [
    'next.config.js',
    'next.config.mjs',
    'next.config.cjs',
    'next.config.ts',
  ]);
  const nextStandalone =
    dir === null &&
    framework === 'nextjs' &&
    nextConfigFile !== undefined &&
    /output\s*:\s*['"]standalone['"]/.test(snapshot.contents.get(nextConfigFile) ?? '');
  if (nextStandalone) log.decide('next.js output', 'standalone', nextConfigFile!);

  const build = framework === 'node' ? nodeBuildKind(pkg, snapshot) : undefined;
  const server = build?.kind === 'server' ? build : undefined;
  if (server) log.decide('server framework', server.name, server.source);

  let detectedStart: { start: StartCommand; source: string };
  if (server && !pkg.scripts?.start && server.start) {
    detectedStart = { start: { argv: server.start }, source: `${server.name} convention` };
  } else if (nextStandalone)
    detectedStart = { start: { argv: ['node', 'server.js'] }, source: nextConfigFile! };
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
  detectedStart = { ...detectedStart, start: startInAppDir(dir, detectedStart.start) };
  const buildScript = pkg.scripts?.build ?? '';
  if (
    /\bprisma\s+(migrate|db\s+push)|\bdb:migrate\b|\bknex\s+migrate|\bdrizzle-kit\s+(push|migrate)/.test(
      buildScript,
    )
  ) {
    log.warn(
      `scripts.build ("${buildScript}") changes a database, so it needs DATABASE_URL at build time, which kiln cannot know: ` +
        'declare it with "dockerfile.buildArgs.buildStage": { "DATABASE_URL": null } and pass it to the build, ' +
        'or run migrations when the app is released instead of in the image build',
    );
  }

  return {
    ecosystem: 'node',
    framework,
    version,
    ...install,
    port: resolvePort(log, config, 3000, 'Node.js convention'),
    start: resolveStart(log, config, rootSnapshot, detectedStart),
    buildCommand: resolveBuildCommand(
      log,
      config,
      pkg.scripts?.build
        ? {
            command: inAppDir(dir, runScript(install.packageManager, 'build')),
            source: `${dir === null ? '' : `${dir}/`}package.json (scripts.build)`,
          }
        : null,
    ),
    dependencies: nodeDependencies(pkg),
    writableDirs: framework === 'nextjs' ? [dir === null ? '.next/cache' : `${dir}/.next/cache`] : [],
    assets: null,
    nextStandalone,
    hasPublicDir: hasPath(snapshot, 'public'),
    env: server?.env ?? {},
  };
}
