// Node.js: dependencies installed with dev dependencies for the build, pruned for run time.

import type { NodeInstall, NodePackageManager, NodePlan } from '../../detect/plan';
import { officialImage } from '../base-images';
import { copy, env, type Line, run } from '../model';
import type { Recipe, RecipeContext } from './recipe';

const WORKDIR = '/app';

/**
 * Yarn classic fails the whole install when one tarball takes over 30 s (its default), which a big
 * lockfile on a busy builder hits (gatsby-starter-default's 1,745 packages did here); npm waits minutes.
 */
const YARN_CLASSIC_NETWORK_TIMEOUT_MS = 600_000;

/**
 * Install, frozen when a lockfile exists. With a build step, dev dependencies are installed
 * (NODE_ENV=production would skip them) and pruned after the build; without one, only production
 * dependencies are installed, so no prune runs after the source copy and a source change reuses the
 * whole dependency layer. Yarn berry has no production-only install, and YARN_IGNORE_PATH keeps it
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

/** Drops dev dependencies after the build; yarn berry has no prune, so its tree ships whole. */
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

/**
 * Without a build step (or build-stage hooks) the build stage only adds node_modules to the source,
 * so the deployment stage can take the two apart. Yarn berry keeps its dependencies elsewhere
 * (.yarn, .pnp.cjs).
 */
function separateDependencyLayer(plan: NodePlan, context: RecipeContext): boolean {
  return plan.buildCommand === null && !context.buildStageHooks && plan.packageManager !== 'yarn-berry';
}

export function nodeRecipe(plan: NodePlan, context: RecipeContext): Recipe {
  const hasBuild = plan.buildCommand !== null;
  const prune = plan.nextStandalone || !hasBuild ? null : PRUNE[plan.packageManager];
  const deployCopies = plan.nextStandalone
    ? [
        copy([`${WORKDIR}/.next/standalone`], `${WORKDIR}/`, { from: 'build' }),
        copy([`${WORKDIR}/.next/static`], `${WORKDIR}/.next/static`, { from: 'build' }),
        ...(plan.hasPublicDir ? [copy([`${WORKDIR}/public`], `${WORKDIR}/public`, { from: 'build' })] : []),
      ]
    : separateDependencyLayer(plan, context)
      ? // Dependencies in a layer of their own, unchanged (so cached, and never pushed again) while the
        // lockfile is; the source, as the build stage saw it, straight from the build context.
        [copy([`${WORKDIR}/node_modules`], `${WORKDIR}/node_modules`, { from: 'build' }), copy(['.'], '.')]
      : [copy([WORKDIR], WORKDIR, { from: 'build' })];
  // Bun runs the app, so it is in the base image that the deployment stage shares.
  const runtimeSetup = plan.packageManager === 'bun' ? packageManagerSetup(plan) : null;
  return {
    base: nodeImage(plan.version),
    workdir: WORKDIR,
    basePackages: [],
    baseLines: [...(runtimeSetup ? [run(runtimeSetup)] : []), env({ NODE_ENV: 'production', ...plan.env })],
    buildPackages: [],
    install: nodeInstall(plan, hasBuild, runtimeSetup !== null),
    compile: [...(plan.buildCommand ? [run(plan.buildCommand)] : []), ...(prune ? [run(prune)] : [])],
    deployCopies,
    deployUser: true,
  };
}
