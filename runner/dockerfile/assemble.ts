// Assembles the stage model from a plan: the recipe's steps, plus everything every Dockerfile gets
// at fixed places — system packages, build args, AWS credentials (./credentials.ts), stage hooks,
// copyForInstall, the assets stage, the deploy user, and USER/EXPOSE/CMD last. The dependency
// install has a stage of its own (deps), so it can be cached from the registry without the build
// stage, whose history holds the classic builder's credential args.
import type { KilnConfig } from '../../contract/config-schema';
import { projectPath } from '../config/project-path';
import type { AppPlan, NodeAssets, StartCommand } from '../detect/plan';
import type { PackageReason } from '../detect/report';
import { autoPackagesFor } from './auto-packages';
import { type BaseImage, LAMBDA_WEB_ADAPTER_IMAGE, overrideBaseImage } from './base-images';
import {
  type CredentialDelivery,
  credentialDeclarations,
  mountCredentials,
  withUserSecrets,
} from './credentials';
import type { HookName, StageHooks } from './hooks';
import { HOOK_DIR } from './hooks';
import {
  arg,
  blank,
  comment,
  copy,
  type DockerfileModel,
  env,
  instruction,
  json,
  type Line,
  run,
  type Stage,
} from './model';
import { installPackages } from './packages';
import { recipeFor } from './recipes';
import { nodeImage, nodeInstall, PRODUCTION_DEPENDENCIES_STAGE } from './recipes/node';

export const DEPLOY_USER = 'deploy';

/** What the AWS CLI v2 installer needs, on Debian and Amazon Linux alike. */
const AWS_CLI_PACKAGES = ['curl', 'unzip'];

/** AWS CLI v2 from its official installer, for the build machine's architecture; nothing else stays. */
function awsCliInstall(): Line {
  return run(
    'curl -fsSL "https://awscli.amazonaws.com/awscli-exe-linux-$(uname -m).zip" -o /tmp/awscliv2.zip',
    'unzip -q /tmp/awscliv2.zip -d /tmp',
    '/tmp/aws/install',
    'rm -rf /tmp/aws /tmp/awscliv2.zip',
  );
}

export interface Assembled {
  model: DockerfileModel;
  packages: PackageReason[];
  warnings: string[];
}

function args(map: Record<string, string | null>): Line[] {
  return Object.keys(map)
    .sort()
    .map((name) => arg(name, map[name]!));
}

function section(title: string, lines: Line[]): Line[] {
  return lines.length === 0 ? [] : [blank(), comment(title), ...lines];
}

function hookLines(hooks: StageHooks, name: HookName): Line[] {
  return section(`Stage hook ${name} (dockerfile.hooks, ${HOOK_DIR}/${name})`, hooks[name]);
}

/** A shell command runs through sh; `exec` makes the app PID 1 so it receives stop signals. */
export function cmdLine(start: StartCommand): Line {
  if ('argv' in start) return instruction('CMD', json(start.argv));
  const simple = !/[;&|]/.test(start.shell);
  return instruction('CMD', json(['/bin/sh', '-c', simple ? `exec ${start.shell}` : start.shell]));
}

/** Top-level install files in one COPY; a file in a folder (a workspace's package.json) keeps its folder. */
function copyInstallFiles(files: string[]): Line[] {
  const top = files.filter((file) => !file.includes('/'));
  const nested = files.filter((file) => file.includes('/'));
  return [
    ...(top.length > 0 ? [copy(top, './')] : []),
    ...nested.map((file) => copy([file], `./${file.slice(0, file.lastIndexOf('/') + 1)}`)),
  ];
}

function assetsStage(assets: NodeAssets): Stage {
  const install = nodeInstall(assets);
  return {
    name: 'assets',
    from: nodeImage(assets.nodeVersion).ref,
    purpose: 'Assets: the JavaScript/CSS build, on a Node.js image, merged into the app with COPY --from',
    lines: [
      instruction('WORKDIR', '/app'),
      ...copyInstallFiles(install.files),
      ...install.steps,
      copy(['.'], '.'),
      run(assets.buildCommand),
    ],
  };
}

export function assemble(
  plan: AppPlan,
  config: KilnConfig,
  hooks: StageHooks,
  delivery: CredentialDelivery,
): Assembled {
  const options = config.dockerfile;
  const recipe = recipeFor(plan, {
    buildStageHooks: hooks.before_build.length > 0 || hooks.after_build.length > 0,
    ruby: { forceRubyPlatform: options.forceRubyPlatform, bootsnapCommand: options.bootsnapCommand },
  });
  const warnings: string[] = [];
  const base = overrideBaseImage(recipe.base, options.baseImage);
  const buildImage: BaseImage = recipe.buildImage?.image ?? base;
  const userPackages = (image: BaseImage) =>
    image.packageManager === 'apt' ? options.apt.packages : options.yum.packages;
  const ignored = base.packageManager === 'apt' ? options.yum.packages : options.apt.packages;
  if (Object.values(ignored).some((list) => list.length > 0)) {
    warnings.push(
      `dockerfile.${base.packageManager === 'apt' ? 'yum' : 'apt'}.packages is ignored: ${base.ref} uses ${base.packageManager}`,
    );
  }

  const auto = options.autoPackages
    ? autoPackagesFor(plan.dependencies, base.packageManager)
    : { reasons: [], unmapped: [] };
  if (auto.unmapped.length > 0) {
    warnings.push(
      `no ${base.packageManager} packages known for ${auto.unmapped.join(', ')}; add them under dockerfile.yum.packages`,
    );
  }
  const autoBuild = auto.reasons.flatMap((reason) => reason.build);
  const autoRuntime = auto.reasons.flatMap((reason) => reason.runtime);

  const preamble = args(options.buildArgs.atTop);

  const baseStage: Stage = {
    name: 'base',
    from: base.ref,
    purpose: 'Base: the runtime shared by the build and deployment stages',
    lines: [
      instruction('WORKDIR', recipe.workdir),
      ...installPackages(base.packageManager, [...recipe.basePackages, ...userPackages(base).allStages]),
      ...recipe.baseLines,
    ],
  };

  const separateBuildImage = recipe.buildImage !== undefined;
  const buildPackages = [
    ...recipe.buildPackages,
    ...autoBuild,
    ...userPackages(buildImage).buildStage,
    ...(separateBuildImage ? userPackages(buildImage).allStages : []),
  ];
  const copyAssets = (stage: 'build' | 'deployment') =>
    plan.assets?.into === stage
      ? [
          copy([`/app/${plan.assets.outputDir}`], `${recipe.workdir}/${plan.assets.outputDir}`, {
            from: 'assets',
          }),
        ]
      : [];
  // Credentials reach the build stage (and the deps stage with awsCredsForInstall), never the
  // deployment stage. ARGs end with their stage, so each credentialed stage declares its own.
  const credentialStages = !options.buildArgs.enableAwsCreds
    ? []
    : options.buildArgs.awsCredsForInstall
      ? ['deps', 'build']
      : ['build'];
  // The prune of prod-deps is part of the install: it gets what the install gets.
  const credentialed = (stage: 'deps' | 'prod-deps' | 'build', lines: Line[]): Line[] => {
    const withSecrets = withUserSecrets(lines, options.secrets, delivery);
    if (!credentialStages.includes(stage === 'prod-deps' ? 'deps' : stage)) return withSecrets;
    const declared = [blank(), ...credentialDeclarations(delivery), ...withSecrets];
    return delivery === 'secret' ? mountCredentials(declared) : declared;
  };
  const depsStage: Stage = {
    name: 'deps',
    from: separateBuildImage ? buildImage.ref : 'base',
    purpose:
      'Dependencies: toolchain, system packages and the dependency install, cached until the lockfile changes',
    lines: [
      ...(separateBuildImage
        ? [instruction('WORKDIR', recipe.buildImage!.workdir), ...recipe.buildImage!.lines]
        : []),
      ...section(
        'Build tools and system packages',
        installPackages(buildImage.packageManager, [
          ...buildPackages,
          ...(options.awsCli ? AWS_CLI_PACKAGES : []),
        ]),
      ),
      ...section(
        'AWS CLI, for build steps and hooks that call AWS (dockerfile.awsCli)',
        options.awsCli ? [awsCliInstall()] : [],
      ),
      ...credentialed('deps', [
        ...section('Build arguments', args(options.buildArgs.buildStage)),
        ...hookLines(hooks, 'before_build'),
        ...section('Dependencies first, so this layer is cached until the lockfile changes', [
          ...copyInstallFiles(recipe.install.files),
          ...options.copyForInstall
            .map((dir, index) => projectPath(`dockerfile.copyForInstall[${index}]`, dir))
            .map((dir) => copy([dir], `./${dir}`)),
          ...recipe.install.steps,
        ]),
      ]),
    ],
  };
  const productionDependenciesStage: Stage | null = recipe.productionDependencies
    ? {
        name: PRODUCTION_DEPENDENCIES_STAGE,
        from: 'deps',
        purpose:
          'Production dependencies: the install without dev dependencies, from the package files alone, deployed as a layer of its own',
        lines: credentialed('prod-deps', [
          ...section('Build arguments', args(options.buildArgs.buildStage)),
          ...section('Only what the app needs at run time', recipe.productionDependencies),
        ]),
      }
    : null;
  const buildStage: Stage = {
    name: 'build',
    from: 'deps',
    purpose: 'Build: the application source and its build; only its results reach the deployment stage',
    lines: credentialed('build', [
      // An ARG ends with its stage: the user's build-stage args are declared again for the app build.
      ...section('Build arguments', args(options.buildArgs.buildStage)),
      ...section('Application source and build', [
        copy(['.'], '.'),
        ...copyAssets('build'),
        ...recipe.compile,
      ]),
      ...hookLines(hooks, 'after_build'),
    ]),
  };

  const lambdaWebApp = options.lambda && plan.framework !== 'python-lambda';
  const isLambdaHandler = plan.framework === 'python-lambda';
  const deployUser = options.addDeployUser && recipe.deployUser;
  const writable = plan.writableDirs.map((dir) => `${recipe.workdir}/${dir}`);
  const deploymentStage: Stage = {
    name: 'deployment',
    from: 'base',
    purpose: 'Deployment: the image that runs, with only what the app needs',
    lines: [
      ...section(
        'Runtime system packages',
        installPackages(base.packageManager, [...autoRuntime, ...userPackages(base).deploymentStage]),
      ),
      ...section('Build arguments', args(options.buildArgs.deploymentStage)),
      ...hookLines(hooks, 'before_deployment'),
      // The user is created before the app is copied, so a source change reuses this layer.
      ...section(
        'A non-root user that owns only the directories the app writes',
        deployUser
          ? [
              run(
                `groupadd --system ${DEPLOY_USER}`,
                `useradd --system --gid ${DEPLOY_USER} --create-home --shell /bin/sh ${DEPLOY_USER}`,
              ),
            ]
          : [],
      ),
      ...section('The app, from the build stage', [
        ...recipe.deployCopies,
        ...copyAssets('deployment'),
        ...(lambdaWebApp
          ? [copy(['/lambda-adapter'], '/opt/extensions/lambda-adapter', { from: LAMBDA_WEB_ADAPTER_IMAGE })]
          : []),
        ...(deployUser && writable.length > 0
          ? [
              run(
                `mkdir -p ${writable.join(' ')}`,
                `chown -R ${DEPLOY_USER}:${DEPLOY_USER} ${writable.join(' ')}`,
              ),
            ]
          : []),
      ]),
      ...hookLines(hooks, 'after_deployment'),
      blank(),
      ...(isLambdaHandler ? [] : [env({ PORT: String(plan.port) })]),
      ...(deployUser ? [instruction('USER', `${DEPLOY_USER}:${DEPLOY_USER}`)] : []),
      ...(isLambdaHandler ? [] : [instruction('EXPOSE', String(plan.port))]),
      cmdLine(plan.start),
    ],
  };

  const stages = [
    baseStage,
    ...(plan.assets ? [assetsStage(plan.assets)] : []),
    depsStage,
    ...(productionDependenciesStage ? [productionDependenciesStage] : []),
    buildStage,
    deploymentStage,
  ];
  return { model: { preamble, stages }, packages: auto.reasons, warnings };
}
