// The runner's steps in order: description → mode → Dockerfile → credentials → login → build →
// push → outputs. Every dependency with I/O beyond the source folder is injected.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CredentialSource, resolveCredentialBuildArgs } from '../credentials/build-credentials';
import { OUTPUTS_FILE, RESERVED_DIR } from '../description';
import type { BuildRequest } from '../docker/build-command';
import { type DockerClient, runDocker } from '../docker/docker-client';
import { AWS_CREDENTIAL_ARGS } from '../dockerfile/assemble';
import { ecrRegion, registryHost } from '../ecr/registry-host';
import { type EcrTokenSource, RegistryLogin } from '../ecr/registry-login';
import type { RunnerLog } from '../log/logger';
import { formatTags, sanitizeTag } from '../tags/format-tags';
import { buildImage, detectBuilder } from './build-image';
import { buildModeFor, describeBuildMode } from './build-mode';
import type { ImageOutputs } from './outputs-env';
import { renderOutputsEnv } from './outputs-env';
import { type DockerfileGenerator, prepareDockerfile } from './prepare-dockerfile';
import { pushImage } from './push-image';
import { readBuildDescription } from './read-description';
import { runStep } from './run-step';
import type { RunnerEnvironment } from './runner-environment';

export interface RunnerDeps {
  docker: DockerClient;
  log: RunnerLog;
  credentials: CredentialSource;
  ecrTokens: EcrTokenSource;
  generate: DockerfileGenerator;
  now: () => Date;
  /** Where user build-arg values are read from (to mask them). */
  env: NodeJS.ProcessEnv;
}

export async function runBuild(environment: RunnerEnvironment, deps: RunnerDeps): Promise<ImageOutputs> {
  const { docker, log } = deps;
  const { sourceDir, repositoryUri, push } = environment;
  deps.log.masker.add(...environment.buildArgNames.map((name) => deps.env[name]));

  const { description, tags, mode } = await runStep(log, 'read build description', async () => {
    const description = await readBuildDescription(sourceDir);
    const tags = formatTags(description.config.docker.tag, {
      friendlyTag: description.name,
      timestamp: deps.now(),
      gitSha: description.git?.sha,
      gitBranch: description.git?.branch,
      gitDirty: description.git?.dirty,
      buildNumber: environment.buildNumber,
    });
    return {
      description,
      tags,
      mode: buildModeFor(description.config, sourceDir, environment.prebuiltImage),
    };
  });
  const { config } = description;
  const imageRefs = tags.map((tag) => `${repositoryUri}:${tag}`);
  log.info(`mode: ${describeBuildMode(mode)}`);
  log.info(`image: ${repositoryUri}, tags: ${tags.join(', ')}${push ? '' : ' (not pushed)'}`);

  const login = new RegistryLogin(docker, deps.ecrTokens, log);
  const needsLogin = [
    push ? repositoryUri : undefined,
    mode.mode === 'image' ? mode.image : undefined,
  ].filter((ref): ref is string => ref !== undefined && ecrRegion(registryHost(ref)) !== undefined);
  if (needsLogin.length > 0) {
    await runStep(log, 'log in to registry', async () => {
      for (const ref of needsLogin) await login.ensure(ref);
    });
  }

  let digest: string | undefined;
  if (mode.mode === 'image') {
    await runStep(log, 'pull prebuilt image', async () => {
      await runDocker(docker, ['pull', mode.image]);
      for (const ref of imageRefs) await runDocker(docker, ['tag', mode.image, ref]);
    });
    if (push) digest = await runStep(log, 'push image', () => pushImage(docker, imageRefs));
  } else {
    const dockerfile = await runStep(log, 'prepare Dockerfile', () =>
      prepareDockerfile(sourceDir, config, mode, deps.generate, log),
    );
    let secretEnv: Record<string, string> = {};
    if (config.dockerfile.buildArgs.enableAwsCreds) {
      secretEnv = await runStep(log, 'resolve AWS credentials', async () => {
        const args = await resolveCredentialBuildArgs(
          deps.credentials,
          environment.region,
          environment.inCodeBuild,
        );
        if (!args) log.info('notice: no AWS credentials found; the AWS credential build args are skipped');
        return args ?? {};
      });
      log.masker.add(...Object.values(secretEnv));
    }
    const builder = await detectBuilder(docker);
    log.info(`builder: ${builder === 'buildkit' ? 'BuildKit (docker buildx)' : 'classic docker build'}`);
    const request: BuildRequest = {
      contextDir: sourceDir,
      dockerfile,
      imageRefs,
      buildArgNames: [
        ...environment.buildArgNames,
        ...AWS_CREDENTIAL_ARGS.filter((name) => secretEnv[name] !== undefined),
      ],
      cacheRef: push ? `${repositoryUri}:cache-${sanitizeTag(description.name)}` : undefined,
      push,
      network: environment.network,
    };
    digest = await runStep(log, 'build image', () =>
      buildImage(request, {
        docker,
        log,
        builder,
        secretEnv,
        showBuildCommand: config.docker.showBuildCommand,
        metadataFile: join(sourceDir, RESERVED_DIR, 'buildx-metadata.json'),
      }),
    );
    if (builder === 'classic' && push && request.cacheRef) {
      const cacheRef = request.cacheRef;
      digest = await runStep(log, 'push image', async () => {
        const pushed = await pushImage(docker, imageRefs);
        await runDocker(docker, ['tag', imageRefs[0] as string, cacheRef]);
        await pushImage(docker, [cacheRef]);
        return pushed;
      });
    }
  }

  const outputs: ImageOutputs = {
    KILN_IMAGE_URI: imageRefs[0] as string,
    KILN_IMAGE_DIGEST: digest ?? '',
    KILN_IMAGE_TAGS: tags.join(','),
  };
  await runStep(log, 'write outputs', () =>
    writeFile(join(sourceDir, OUTPUTS_FILE), renderOutputsEnv(outputs)),
  );
  log.info(
    `✓ image ${outputs.KILN_IMAGE_URI}${digest ? ` (${digest})` : ''}${push ? '' : ', built locally, not pushed'}`,
  );
  if (tags.length > 1) log.info(`  tags: ${tags.join(', ')}`);
  return outputs;
}
