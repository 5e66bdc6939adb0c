// The runner's steps in order: description → mode → login → Dockerfile → credentials → build →
// push → outputs. Every dependency with I/O beyond the source folder is injected.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { primaryArchitecture } from '../../contract/config-schema';
import { type BuildDescription, OUTPUTS_FILE, RESERVED_DIR } from '../../contract/description';
import { memberTag } from '../../contract/multi-arch';
import type { BuildMode } from '../config/build-mode';
import {
  type CredentialSource,
  credentialsFileText,
  resolveCredentialBuildArgs,
  writeSecretFiles,
} from '../credentials/build-credentials';
import { refreshCredentialsFile } from '../credentials/credentials-refresh';
import { readUserSecrets, type SecretParameterCleanup } from '../credentials/user-secrets';
import type { BuildRequest } from '../docker/build-command';
import { type DockerClient, dockerFailure, hasLocalImage, runDocker } from '../docker/docker-client';
import { cacheRefPrefix, planStageCache } from '../docker/stage-cache';
import { AWS_CREDENTIAL_ARGS, AWS_REGION_ARGS, AWS_SECRET_ID } from '../dockerfile/credentials';
import {
  BUILDKIT_ECR_PUBLIC_PATH,
  frontendNotice,
  type ImageMirrors,
  mirrorBaseImages,
  mirroredImage,
  unmirroredNotice,
} from '../ecr/base-image-mirror';
import { ecrRegion, registryHost } from '../ecr/registry-host';
import { type EcrTokenSource, RegistryLogin } from '../ecr/registry-login';
import type { RunnerLog } from '../log/logger';
import { formatTags } from '../tags/format-tags';
import { BUILDER_LABELS, buildImage, chooseBuilder } from './build-image';
import { type ImageOutputs, renderOutputsEnv } from './outputs-env';
import { type DockerfileGenerator, prepareDockerfile } from './prepare-dockerfile';
import { publishIndex } from './publish-index';
import { pushImage } from './push-image';
import { readBuildDescription } from './read-description';
import { runStep } from './run-step';
import type { RunnerEnvironment } from './runner-environment';
import { buildModeFor, describeBuildMode } from './source-build-mode';

export interface RunnerDeps {
  docker: DockerClient;
  log: RunnerLog;
  credentials: CredentialSource;
  ecrTokens: EcrTokenSource;
  generate: DockerfileGenerator;
  now: () => Date;
  /** Where user build-arg and secret values are read from (to mask and pass them). */
  env: NodeJS.ProcessEnv;
  /** Deletes the build's secret parameters once CodeBuild has put their values in `env`. */
  deleteSecretParameters: SecretParameterCleanup;
}

/** The Dockerfile built in CodeBuild: the managed or custom one with its base images mirrored. */
const MIRRORED_DOCKERFILE = 'Dockerfile.mirrored';

interface BuildPlan {
  description: BuildDescription;
  /** `--secret` / dockerfile.secrets: name → value. */
  secrets: Record<string, string>;
  mode: BuildMode;
  tags: string[];
  /** `<repository>:<tag>` for every tag; the first is the image URI. */
  imageRefs: string[];
}

export async function runBuild(environment: RunnerEnvironment, deps: RunnerDeps): Promise<ImageOutputs> {
  const { log } = deps;
  log.masker.add(...environment.buildArgNames.map((name) => deps.env[name]));
  const plan = await runStep(log, 'read build description', () => planBuild(environment, deps));
  if (environment.secretParameters) {
    const path = environment.secretParameters;
    await runStep(log, 'delete secret parameters', () =>
      deps.deleteSecretParameters(
        environment.region,
        Object.keys(plan.secrets).map((name) => `${path}${name}`),
      ),
    ).catch((error: Error) => log.info(`notice: ${error.message}; kiln deletes them when the build ends`));
  }
  log.info(`mode: ${describeBuildMode(plan.mode)}`);
  log.info(
    `image: ${environment.repositoryUri}, tags: ${plan.tags.join(', ')}${environment.push ? '' : ' (not pushed)'}`,
  );
  await logInToRegistries(plan, environment, deps);
  const digest =
    plan.mode.mode === 'image'
      ? await retagPrebuilt(plan.mode.image, plan, environment, deps)
      : await buildFromDockerfile(plan.mode, plan, environment, deps);
  const { multiArch } = environment;
  if (multiArch && environment.push) {
    await runStep(log, 'publish image index', () =>
      publishIndex(multiArch, environment.repositoryUri, { ecrTokens: deps.ecrTokens, log }),
    );
  }

  const outputs: ImageOutputs = {
    KILN_IMAGE_URI: plan.imageRefs[0] as string,
    KILN_IMAGE_DIGEST: digest ?? '',
    KILN_IMAGE_TAGS: plan.tags.join(','),
  };
  await runStep(log, 'write outputs', () =>
    writeFile(join(environment.sourceDir, OUTPUTS_FILE), renderOutputsEnv(outputs)),
  );
  const where = environment.push ? '' : ', built locally, not pushed';
  log.info(`✓ image ${outputs.KILN_IMAGE_URI}${digest ? ` (${digest})` : ''}${where}`);
  if (plan.tags.length > 1) log.info(`  tags: ${plan.tags.join(', ')}`);
  return outputs;
}

async function planBuild(environment: RunnerEnvironment, deps: RunnerDeps): Promise<BuildPlan> {
  const description = await readBuildDescription(environment.sourceDir);
  const { multiArch } = environment;
  // Several architectures: the laptop formatted the tags once, so every member agrees on them.
  const requested = multiArch
    ? multiArch.indexTags.map((tag) => memberTag(tag, multiArch.arch))
    : formatTags(description.config.docker.tag, {
        friendlyTag: description.name,
        timestamp: deps.now(),
        gitSha: description.git?.sha,
        gitBranch: description.git?.branch,
        gitDirty: description.git?.dirty,
        buildNumber: environment.buildNumber,
      });
  const tags = [...requested, ...(environment.inputTag ? [environment.inputTag] : [])];
  const secrets = readUserSecrets(description.config.dockerfile.secrets, deps.env);
  // Registered before anything can print them.
  deps.log.masker.add(...Object.values(secrets));
  return {
    description,
    secrets,
    tags,
    imageRefs: tags.map((tag) => `${environment.repositoryUri}:${tag}`),
    mode: buildModeFor(description.config, environment.sourceDir, environment.prebuiltImage),
  };
}

/** ECR registries this build pulls from or pushes to; other registries need no login. */
async function logInToRegistries(plan: BuildPlan, environment: RunnerEnvironment, deps: RunnerDeps) {
  const mirrors = environment.imageMirrors;
  const refs = [
    environment.push ? environment.repositoryUri : undefined,
    // The pull-through caches answer only a logged-in docker.
    ...(plan.mode.mode === 'image'
      ? [prebuiltSource(plan.mode.image, mirrors)]
      : [mirrors?.ecrPublic, mirrors?.dockerHub]),
  ].filter((ref): ref is string => ref !== undefined && ecrRegion(registryHost(ref)) !== undefined);
  if (refs.length === 0) return;
  const login = new RegistryLogin(deps.docker, deps.ecrTokens, deps.log);
  await runStep(deps.log, 'log in to registry', async () => {
    for (const ref of refs) await login.ensure(ref);
  });
}

/** Where the prebuilt image is pulled from: its mirror path in CodeBuild when it has one. */
function prebuiltSource(image: string, mirrors: ImageMirrors | undefined): string {
  return (mirrors && mirroredImage(image, mirrors)) ?? image;
}

async function retagPrebuilt(
  image: string,
  plan: BuildPlan,
  environment: RunnerEnvironment,
  { docker, log }: RunnerDeps,
): Promise<string | undefined> {
  await runStep(log, 'pull prebuilt image', async () => {
    const mirrors = environment.imageMirrors;
    const source = prebuiltSource(image, mirrors);
    const notice = mirrors && unmirroredNotice('prebuilt image', image);
    if (source !== image) log.info(`prebuilt image ${image} → ${source}`);
    else if (notice) log.info(notice);
    const pulled = await docker.run(['pull', source]);
    if (pulled.exitCode !== 0) {
      // Local builds may name an image that only exists in this engine.
      if (!(await hasLocalImage(docker, source))) throw dockerFailure(['pull', source], pulled.exitCode);
      log.info(`notice: could not pull ${source}; using the image this engine has`);
    }
    for (const ref of plan.imageRefs) await runDocker(docker, ['tag', source, ref]);
  });
  return environment.push ? runStep(log, 'push image', () => pushImage(docker, plan.imageRefs)) : undefined;
}

async function buildFromDockerfile(
  mode: Exclude<BuildMode, { mode: 'image' }>,
  plan: BuildPlan,
  environment: RunnerEnvironment,
  deps: RunnerDeps,
): Promise<string | undefined> {
  const { docker, log } = deps;
  const { config, name } = plan.description;
  const mirrors = environment.imageMirrors;
  const choice = await runStep(log, 'choose builder', () =>
    chooseBuilder(
      docker,
      log,
      environment.push,
      environment.builder,
      mirrors && `${mirrors.ecrPublic}/${BUILDKIT_ECR_PUBLIC_PATH}`,
    ),
  );
  log.info(`builder: ${BUILDER_LABELS[choice.builder]}`);
  const delivery = choice.builder === 'classic' ? 'build-args' : 'secret';
  const prepared = await runStep(log, 'prepare Dockerfile', () =>
    prepareDockerfile(environment.sourceDir, config, mode, deps.generate, log, { credentials: delivery }),
  );
  const dockerfile = mirrors ? await pullBaseImagesThrough(mirrors, prepared, environment, log) : prepared;
  const credentials = config.dockerfile.buildArgs.enableAwsCreds
    ? await credentialEnv(environment, deps)
    : {};
  const userSecrets = plan.secrets;
  // BuildKit: the credentials and the user's secrets as secret files (managed Dockerfiles mount them;
  // custom ones may); the classic builder takes them as build args, values in docker's environment.
  const secretDir =
    delivery === 'secret'
      ? await writeSecretFiles({
          ...(credentials.AWS_ACCESS_KEY_ID ? { [AWS_SECRET_ID]: credentialsFileText(credentials) } : {}),
          ...userSecrets,
        })
      : undefined;
  const secretEnv = delivery === 'secret' ? credentials : { ...credentials, ...userSecrets };
  const arch = environment.multiArch?.arch ?? primaryArchitecture(config.remote.arch);
  const prefix = cacheRefPrefix(environment.repositoryUri, name, arch);
  const request: BuildRequest = {
    contextDir: environment.sourceDir,
    dockerfile,
    imageRefs: plan.imageRefs,
    buildArgNames: [
      ...environment.buildArgNames,
      // Managed Dockerfiles declare only the region args with BuildKit; custom ones may declare all.
      ...AWS_CREDENTIAL_ARGS.filter((arg) => secretEnv[arg] !== undefined),
      ...(delivery === 'secret' ? [] : Object.keys(userSecrets)),
    ],
    network: environment.network,
    secrets: secretDir?.files,
  };
  // The classic builder writes build-arg values into its stages' history: with secrets, none of those
  // stages may be pushed as a cache image.
  const classicSecrets = delivery === 'build-args' && Object.keys(userSecrets).length > 0;
  if (classicSecrets && environment.push) {
    log.info('notice: classic builder with secrets: no registry cache (its images would hold the values)');
  }
  const stages =
    environment.push && !classicSecrets
      ? planStageCache(
          await readFile(dockerfile, 'utf8'),
          prefix,
          new Set([...AWS_REGION_ARGS, ...environment.buildArgNames]),
        )
      : undefined;
  const credentialsFile = secretDir?.files[AWS_SECRET_ID];
  const refresh = credentialsFile
    ? refreshCredentialsFile({
        file: credentialsFile,
        source: deps.credentials,
        region: environment.region,
        everyMs: environment.credentialsRefreshSeconds * 1000,
        masker: log.masker,
        onFailure: (error) =>
          log.info(
            `notice: could not renew the build's AWS credentials (${(error as Error).message}); later steps keep the current ones`,
          ),
      })
    : undefined;
  const digest = await runStep(log, 'build image', () =>
    buildImage(request, {
      docker,
      log,
      choice,
      secretEnv,
      showBuildCommand: config.docker.showBuildCommand,
      metadataFile: join(environment.sourceDir, RESERVED_DIR, 'buildx-metadata.json'),
      cache: stages && { buildxRef: prefix, stages },
    }),
  ).finally(async () => {
    await refresh?.stop();
    if (secretDir) await rm(secretDir.dir, { recursive: true, force: true });
  });
  // buildx pushed already (with its registry cache); the others push the tags and the cache images.
  if (choice.builder === 'buildx' || !environment.push) return digest;
  return runStep(log, 'push image', async () => {
    const pushed = await pushImage(docker, plan.imageRefs);
    if (stages) await pushImage(docker, stages.refs);
    return pushed;
  });
}

/**
 * The Dockerfile with its base images through the pull-through cache, written beside build.json (the
 * project's own file stays as it is; `.kiln-build` is outside the build context).
 */
async function pullBaseImagesThrough(
  mirrors: ImageMirrors,
  dockerfile: string,
  environment: RunnerEnvironment,
  log: RunnerLog,
): Promise<string> {
  return runStep(log, 'base images through the ECR pull-through cache', async () => {
    const mirrored = mirrorBaseImages(await readFile(dockerfile, 'utf8'), mirrors);
    const { frontend } = mirrored;
    if (frontend?.mirrored) log.info(`Dockerfile frontend ${frontend.image} → ${frontend.mirrored}`);
    for (const [from, to] of mirrored.rewritten) log.info(`base image ${from} → ${to}`);
    const notices = [
      frontend && !frontend.mirrored ? frontendNotice(frontend.image) : undefined,
      ...mirrored.unchanged.map((image) => unmirroredNotice('base image', image)),
    ];
    for (const notice of notices) if (notice) log.info(notice);
    const path = join(environment.sourceDir, RESERVED_DIR, MIRRORED_DOCKERFILE);
    await writeFile(path, mirrored.text);
    return path;
  });
}

/** The credential build args' values, registered with the masker before anything can print them. */
async function credentialEnv(
  environment: RunnerEnvironment,
  deps: RunnerDeps,
): Promise<Record<string, string>> {
  const args = await runStep(deps.log, 'resolve AWS credentials', () =>
    resolveCredentialBuildArgs(deps.credentials, environment.region, environment.inCodeBuild),
  );
  if (!args) {
    deps.log.info('notice: no AWS credentials found; the AWS credential build args are skipped');
    return {};
  }
  deps.log.masker.add(...Object.values(args));
  return args;
}
