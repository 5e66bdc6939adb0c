// Node.js: dependencies installed with dev dependencies for the build, pruned for run time.

import type { NodeInstall, NodePackageManager, NodePlan } from '../../detect/plan';
import { officialImage } from '../base-images';
import { comment, copy, env, type Line, run } from '../model';
import type { Recipe, RecipeContext } from './recipe';

const WORKDIR = '/app';

/**
 * Yarn classic fails the whole install when one tarball takes over 30 s (its default), which a big
 * lockfile on a busy builder hits (gatsby-starter-default's 1,745 packages did here); npm waits minutes.
 */
const YARN_CLASSIC_NETWORK_TIMEOUT_MS = 600_000;

/**
 * Install, frozen when a lockfile exists. With a build step, dev dependencies are installed
 * (NODE_ENV=production would skip them) and pruned in the prod-deps stage; without one, only
 * production dependencies are installed, so nothing is pruned and a source change reuses the whole
 * dependency layer. Yarn berry has no production-only install, and YARN_IGNORE_PATH keeps it
 * from switching to a `yarnPath` release that is not copied before the install.
 */
const INSTALL: Record<NodePackageManager, (frozen: boolean, dev: boolean) => string> = {
  npm: (frozen, dev) => `${frozen ? 'npm ci' : 'npm install'} ${dev ? '--include=dev' : '--omit=dev'}`,
  pnpm: (frozen, dev) => `pnpm install${frozen ? ' --frozen-lockfile' : ''} --prod=${dev ? 'false' : 'true'}`,
  yarn: (frozen, dev) =>
    `yarn install${frozen ? ' --frozen-lockfile' : ''} --production=${dev ? 'false' : 'true'} --network-timeout ${YARN_CLASSIC_NETWORK_TIMEOUT_MS}`,
  'yarn-berry': (frozen) => `yarn install${frozen ? ' --immutable' : ''}`,
  bun: (frozen, dev) => `bun install${frozen ? ' --frozen-lockfile' : ''}${dev ? '' : ' --production'}`,
};

/**
 * pnpm, yarn and bun are installed with npm (bun's package carries the binary for each platform),
 * never corepack or a vendor image: npm's integrity check works with any registry mirror, corepack's
 * signature check does not and corepack leaves Node.js after 24, and the oven/bun image is on Docker
 * Hub only. --force replaces the yarn or corepack shim the image may carry.
 */
function packageManagerSetup(install: NodeInstall): string | null {
  return install.packageManagerSpec === null ? null : `npm install -g --force ${install.packageManagerSpec}`;
}

/**
 * Drops dev dependencies from the install (in the prod-deps stage, or after the build when build-stage
 * hooks keep /app whole); yarn berry has no prune, so its tree ships whole.
 */
const PRUNE: Record<NodePackageManager, string | null> = {
  npm: 'npm prune --omit=dev',
  pnpm: 'pnpm prune --prod',
  yarn: 'yarn install --production=true --frozen-lockfile --ignore-scripts --prefer-offline',
  'yarn-berry': null,
  bun: 'rm -rf node_modules && bun install --production --frozen-lockfile',
};

/**
 * `includeDev`: the install feeds a build step (always, for asset and static-site builds).
 * `managerInBase`: the package manager is already in the base image (bun, which also runs the app).
 */
export function nodeInstall(
  install: NodeInstall,
  includeDev = true,
  managerInBase = false,
): Recipe['install'] {
  const steps: Line[] = [];
  if (install.packageManager === 'yarn-berry') steps.push(env({ YARN_IGNORE_PATH: '1' }));
  const setup = managerInBase ? null : packageManagerSetup(install);
  steps.push(
    run(...(setup ? [setup] : []), INSTALL[install.packageManager](install.lockfile !== null, includeDev)),
  );
  return {
    files: ['package.json', ...(install.lockfile ? [install.lockfile] : []), ...install.installFiles],
    steps,
  };
}

/** Every Node app and asset build runs on the official Node image, bun apps included. */
export function nodeImage(version: string) {
  return officialImage('node', version);
}

/** Where the build stage gathers the built app without its node_modules, for the deployment stage. */
const BUILT_APP = '/tmp/kiln-app';
/** Touched just before the build, so the files the build writes into node_modules can be told apart. */
const BUILD_STARTED = '/tmp/kiln-build-started';

/**
 * The built app without node_modules (any depth: workspace members have their own), plus the files
 * the build wrote into node_modules: a prisma generate (node_modules/.prisma) or any other generator
 * there has no place in the dependency layer, which comes from the package files alone. Written files
 * are found by their mtime against BUILD_STARTED (install files are older, cached layers keep their
 * mtimes), which covers every generator, not just a list of known ones. node_modules/.cache is left
 * out: build tools keep their caches there (find-cache-dir), never read when the app runs.
 */
function gatherBuiltApp(): Line[] {
  return [
    comment(
      `The built app without node_modules, plus what the build wrote into node_modules, in ${BUILT_APP}`,
    ),
    run(
      `mkdir ${BUILT_APP}`,
      `find . -name node_modules -prune -o -print | tar -cf - --no-recursion -T - | tar -xf - -C ${BUILT_APP}`,
      `find . -path '*/node_modules/.cache' -prune -o -path '*/node_modules/*' ! -type d -newer ${BUILD_STARTED} -print | tar -cf - -T - | tar -xf - -C ${BUILT_APP}`,
    ),
  ];
}

/** What the deployment stage takes from the build: the standalone server, /app whole, or two layers. */
type DeployLayout = 'next-standalone' | 'whole-app' | 'dependency-layer';

/**
 * Build-stage hooks may change anything in /app, node_modules included, and a before_build hook runs
 * before the install, so with them the deployment stage takes /app whole from the build stage (pruned
 * there). Otherwise the dependencies are a layer of their own, unchanged (so cached, and never pushed
 * again) while the package files are, and the app another.
 */
function deployLayout(plan: NodePlan, context: RecipeContext): DeployLayout {
  if (plan.nextStandalone) return 'next-standalone';
  return context.buildStageHooks ? 'whole-app' : 'dependency-layer';
}

/** The stage that keeps only the run-time dependencies: the prune, from the package files alone. */
export const PRODUCTION_DEPENDENCIES_STAGE = 'prod-deps';

export function nodeRecipe(plan: NodePlan, context: RecipeContext): Recipe {
  const build = plan.buildCommand;
  const layout = deployLayout(plan, context);
  // Without a build step only production dependencies were installed; next's standalone output
  // carries the dependencies it traced.
  const prune = build === null || layout === 'next-standalone' ? null : PRUNE[plan.packageManager];
  // Bun runs the app, so it is in the base image that the deployment stage shares.
  const runtimeSetup = plan.packageManager === 'bun' ? packageManagerSetup(plan) : null;
  const recipe = {
    base: nodeImage(plan.version),
    workdir: WORKDIR,
    basePackages: [],
    baseLines: [...(runtimeSetup ? [run(runtimeSetup)] : []), env({ NODE_ENV: 'production', ...plan.env })],
    buildPackages: [],
    install: nodeInstall(plan, build !== null, runtimeSetup !== null),
    deployUser: true,
  };
  switch (layout) {
    case 'next-standalone':
      return {
        ...recipe,
        compile: build ? [run(build)] : [],
        deployCopies: [
          copy([`${WORKDIR}/.next/standalone`], `${WORKDIR}/`, { from: 'build' }),
          copy([`${WORKDIR}/.next/static`], `${WORKDIR}/.next/static`, { from: 'build' }),
          ...(plan.hasPublicDir ? [copy([`${WORKDIR}/public`], `${WORKDIR}/public`, { from: 'build' })] : []),
        ],
      };
    case 'whole-app':
      return {
        ...recipe,
        compile: [...(build ? [run(build)] : []), ...(prune ? [run(prune)] : [])],
        deployCopies: [copy([WORKDIR], WORKDIR, { from: 'build' })],
      };
    case 'dependency-layer': {
      // The install's /app: the package files and every node_modules (workspace members' too), or
      // yarn berry's .pnp.cjs and .yarn, which it does not prune.
      const dependencies = copy([WORKDIR], WORKDIR, { from: prune ? PRODUCTION_DEPENDENCIES_STAGE : 'deps' });
      return {
        ...recipe,
        ...(prune ? { productionDependencies: [run(prune)] } : {}),
        compile: build ? [run(`touch ${BUILD_STARTED}`, build), ...gatherBuiltApp()] : [],
        // Without a build step, the source as the build stage saw it, straight from the context.
        deployCopies: [
          comment(
            'The dependencies as installed: cached, and not pushed again, while the package files are unchanged',
          ),
          dependencies,
          build ? copy([BUILT_APP], WORKDIR, { from: 'build' }) : copy(['.'], '.'),
        ],
      };
    }
  }
}
