// The build plan: everything detection decided about an app, independent of Dockerfile syntax.
// The recipes in runner/dockerfile/recipes turn a plan into stage contents.
import type { Framework } from '../../contract/config-schema';

/** Ecosystems whose dependencies can need system packages (runner/dockerfile/auto-packages). */
export type DependencyEcosystem = 'node' | 'python' | 'ruby';

export interface DependencyList {
  ecosystem: DependencyEcosystem | null;
  names: { name: string; source: string }[];
  /** File that has git-sourced dependencies (the build stage then needs git). */
  gitSource: string | undefined;
}

export const NO_DEPENDENCIES: DependencyList = { ecosystem: null, names: [], gitSource: undefined };

/** How the container starts: an argv (exec form) or a shell command (Procfile, config). */
export type StartCommand = { argv: string[] } | { shell: string };

export type NodePackageManager = 'npm' | 'pnpm' | 'yarn' | 'yarn-berry' | 'bun';
export type PythonInstaller = 'pip' | 'poetry' | 'uv' | 'pipenv';

interface PlanBase {
  framework: Framework;
  /** Runtime version as the image tag carries it. */
  version: string;
  port: number;
  start: StartCommand;
  /** App build command run after the source is copied, if any. */
  buildCommand: string | null;
  /** Dependencies that may need system packages (autoPackages), with the file that lists each. */
  dependencies: DependencyList;
  /** Directories (relative to the app) the running app writes; owned by the deploy user. */
  writableDirs: string[];
  /** A Node build (polyglot app) in its own stage, merged with COPY --from. */
  assets: NodeAssets | null;
}

export interface NodeInstall {
  packageManager: NodePackageManager;
  /**
   * The npm package of the package manager to install (`pnpm@9.15.9`, `@yarnpkg/cli-dist@4.5.0`,
   * `bun@1`): the `packageManager` field without its hash, a release matching the lockfile, or the
   * newest major. Null for npm, which comes with Node.js.
   */
  packageManagerSpec: string | null;
  /** Lockfile name, or null when the project has none (non-frozen install). */
  lockfile: string | null;
  /** Extra files needed before install (.yarnrc.yml, .npmrc, pnpm-workspace.yaml). */
  installFiles: string[];
}

export interface NodeAssets extends NodeInstall {
  nodeVersion: string;
  buildCommand: string;
  /** Directory the build writes, copied into the app. */
  outputDir: string;
  /** Stage that receives the built assets: `build` when the app's build step needs them. */
  into: 'build' | 'deployment';
}

export interface NodePlan extends PlanBase, NodeInstall {
  ecosystem: 'node';
  /** Next.js `output: 'standalone'`: copy only the standalone server. */
  nextStandalone: boolean;
  /** The app has a public/ directory (copied next to a standalone Next.js server). */
  hasPublicDir: boolean;
  /** Run-time environment the framework's server needs (HOST for servers that bind to localhost). */
  env: Record<string, string>;
}

export interface PythonPlan extends PlanBase {
  ecosystem: 'python';
  installer: PythonInstaller;
  lockfile: string | null;
  installFiles: string[];
  /** Django: run collectstatic in the build stage. */
  collectStatic: boolean;
  /** Lambda handler (`app.handler`) for python-lambda. */
  lambdaHandler: string | null;
  /** Folder whose contents are the Lambda task root (a SAM CodeUri), or null for the project root. */
  lambdaCodeDir: string | null;
  /** A C compiler in the build stage (pinned packages on an unpinned Python may need to compile). */
  compiler: boolean;
}

export interface RubyPlan extends PlanBase {
  ecosystem: 'ruby';
  lockfile: string | null;
  /** Gemfile, Gemfile.lock and the files they read (.ruby-version). */
  installFiles: string[];
  rails: boolean;
  bootsnap: boolean;
}

export interface GoPlan extends PlanBase {
  ecosystem: 'go';
  hasGoSum: boolean;
  /** Package to build (`.` or `./cmd/server`). */
  mainPackage: string;
  /** Folders the app reads at run time by path (not embedded), copied next to the binary. */
  runtimeDirs: string[];
}

export interface StaticPlan extends PlanBase {
  ecosystem: 'static';
  generator: 'jekyll' | 'hugo' | 'node' | 'none';
  /** The Node build of a single-page app (generator `node`). */
  nodeBuild: NodeAssets | null;
  /** Directory (in the build stage's /app) that holds the site after the build. */
  siteDir: string;
  /** Ruby version for Jekyll builds. */
  rubyVersion: string | null;
  /** Files the site build installs from (Gemfile, Gemfile.lock for Jekyll). */
  installFiles: string[];
  /** Serve index.html for unknown paths (single-page apps). */
  spaFallback: boolean;
}

export type AppPlan = NodePlan | PythonPlan | RubyPlan | GoPlan | StaticPlan;
