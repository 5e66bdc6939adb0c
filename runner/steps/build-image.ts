// Step "build image": BuildKit when `docker buildx` is available (registry cache, pushes itself),
// the classic builder otherwise (the step "push image" then pushes the tags and the cache tag).
import { readFile } from 'node:fs/promises';
import {
  BUILDX_BUILDER,
  type BuildRequest,
  buildxBuildArgs,
  buildxCreateArgs,
  classicBuildArgs,
} from '../docker/build-command';
import { type DockerClient, hasLocalImage, runDocker } from '../docker/docker-client';
import type { RunnerLog } from '../log/logger';

export type Builder = 'buildkit' | 'classic';

/**
 * BuildKit when buildx is installed and, for pushing builds, kiln's docker-container builder runs
 * (it needs the moby/buildkit image); the classic builder otherwise, so a build never fails for want
 * of a builder.
 */
export async function chooseBuilder(docker: DockerClient, log: RunnerLog, push: boolean): Promise<Builder> {
  const probe = await docker.run(['buildx', 'version'], { quiet: true });
  if (probe.exitCode !== 0) return 'classic';
  if (!push) return 'buildkit';
  const inspected = await docker.run(['buildx', 'inspect', BUILDX_BUILDER], { quiet: true });
  if (inspected.exitCode === 0) return 'buildkit';
  log.info(
    `creating the buildx builder "${BUILDX_BUILDER}" (docker-container driver, for the registry cache)`,
  );
  const created = await docker.run(buildxCreateArgs());
  if (created.exitCode === 0) return 'buildkit';
  log.info(`notice: the buildx builder "${BUILDX_BUILDER}" could not start; using the classic builder`);
  await docker.run(['buildx', 'rm', BUILDX_BUILDER], { quiet: true });
  return 'classic';
}

export interface BuildOptions {
  docker: DockerClient;
  log: RunnerLog;
  builder: Builder;
  /** Secret build-arg values (AWS credentials) for the docker process environment. */
  secretEnv: Record<string, string>;
  showBuildCommand: boolean;
  /** Where buildx writes its metadata (the pushed digest). */
  metadataFile: string;
}

/** Builds the image; with BuildKit and `push`, also pushes it and returns the digest. */
export async function buildImage(request: BuildRequest, options: BuildOptions): Promise<string | undefined> {
  const { docker, log, builder } = options;
  if (builder === 'buildkit') {
    const args = buildxBuildArgs(request, options.metadataFile);
    if (options.showBuildCommand) log.info(`build command: docker ${args.join(' ')}`);
    await runDocker(docker, args, { env: options.secretEnv });
    return request.push ? metadataDigest(options.metadataFile) : undefined;
  }
  const args = classicBuildArgs({
    ...request,
    cacheRef: await classicCacheSource(docker, log, request.cacheRef),
  });
  if (options.showBuildCommand) log.info(`build command: docker ${args.join(' ')}`);
  await runDocker(docker, args, { env: { ...options.secretEnv, DOCKER_BUILDKIT: '0' } });
  return undefined;
}

/**
 * The classic builder's `--cache-from` replaces the engine's own layer cache (a local layer is reused
 * only if it belongs to a cache-from image, so build stages would always rebuild). An engine that
 * already has the cache image built it and keeps the better cache; a fresh engine pulls it.
 */
async function classicCacheSource(
  docker: DockerClient,
  log: RunnerLog,
  cacheRef: string | undefined,
): Promise<string | undefined> {
  if (!cacheRef) return undefined;
  if (await hasLocalImage(docker, cacheRef)) {
    log.info(`cache: this engine's own layer cache (it has ${cacheRef})`);
    return undefined;
  }
  const pulled = await docker.run(['pull', cacheRef], { quiet: true });
  if (pulled.exitCode !== 0) {
    log.info(`cache: no ${cacheRef} yet, building without it`);
    return undefined;
  }
  log.info(`cache: layers of ${cacheRef}`);
  return cacheRef;
}

async function metadataDigest(metadataFile: string): Promise<string | undefined> {
  const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
  const digest = metadata['containerimage.digest'];
  return typeof digest === 'string' ? digest : undefined;
}
