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
   * The package manager to install when the image lacks it (`pnpm@9.15.9`): the `packageManager`
   * field without its hash, or a release matching the lockfile. Null for npm and bun.
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
