// Step "build image" with the best builder the engine offers (see Builder): kiln's buildx builder
// (registry cache, pushes itself), else the engine's built-in BuildKit, else the classic builder;
// the last two push the tags and one cache image per stage (./stage-cache).
import { readFile } from 'node:fs/promises';
import {
  BUILDX_BUILDER,
  type Builder,
  type BuildRequest,
  buildxBuildArgs,
  buildxCreateArgs,
  builtinBuildArgs,
  classicBuildArgs,
  type StageBuild,
} from '../docker/build-command';
import { type DockerClient, runDocker } from '../docker/docker-client';
import type { StageCache } from '../docker/stage-cache';
import type { RunnerLog } from '../log/logger';

export interface BuilderChoice {
  builder: Builder;
  /** buildx is installed: the built-in BuildKit is reached through its `default` builder. */
  buildxInstalled: boolean;
}

export const BUILDER_LABELS: Record<Builder, string> = {
  buildx: `BuildKit (buildx builder "${BUILDX_BUILDER}", registry cache)`,
  buildkit: "BuildKit (the engine's built-in, inline cache per stage)",
  classic: 'classic docker build (cache images per stage)',
};

/**
 * The best builder this engine offers, or `requested` (KILN_BUILDER). kiln's docker-container buildx
 * builder needs the moby/buildkit image and is used only for pushing builds; a docker CLI older than
 * 23 reaches the engine's BuildKit with DOCKER_BUILDKIT=1 (newer ones need buildx for it).
 */
export async function chooseBuilder(
  docker: DockerClient,
  log: RunnerLog,
  push: boolean,
  requested?: Builder,
  builderImage?: string,
): Promise<BuilderChoice> {
  const buildxInstalled = (await docker.run(['buildx', 'version'], { quiet: true })).exitCode === 0;
  const choose = (builder: Builder) => ({ builder, buildxInstalled });
  // kiln's buildx builder only pushes; a build that is not pushed takes the engine's BuildKit instead.
  if (requested) return choose(requested === 'buildx' && !push ? 'buildkit' : requested);
  if (buildxInstalled) {
    if (push && (await startKilnBuilder(docker, log, builderImage))) return choose('buildx');
    return choose('buildkit');
  }
  return choose((await legacyCliWithBuildKit(docker)) ? 'buildkit' : 'classic');
}

async function startKilnBuilder(
  docker: DockerClient,
  log: RunnerLog,
  builderImage: string | undefined,
): Promise<boolean> {
  if ((await docker.run(['buildx', 'inspect', BUILDX_BUILDER], { quiet: true })).exitCode === 0) return true;
  log.info(
    `creating the buildx builder "${BUILDX_BUILDER}" (docker-container driver, for the registry cache)`,
  );
  if ((await docker.run(buildxCreateArgs(builderImage))).exitCode === 0) return true;
  log.info(`notice: the buildx builder "${BUILDX_BUILDER}" could not start; using the engine's BuildKit`);
  await docker.run(['buildx', 'rm', BUILDX_BUILDER], { quiet: true });
  return false;
}

/** A docker CLI before 23 with an engine since 18.09: `DOCKER_BUILDKIT=1 docker build` is BuildKit. */
async function legacyCliWithBuildKit(docker: DockerClient): Promise<boolean> {
  const version = await docker.run(['version', '--format', '{{.Client.Version}} {{.Server.Version}}'], {
    quiet: true,
  });
  if (version.exitCode !== 0) return false;
  const [client, server] = version.stdout
    .trim()
    .split(' ')
    .map((text) => text.split('.').map(Number));
  const atLeast = (parts: number[] | undefined, major: number, minor: number) =>
    parts !== undefined &&
    ((parts[0] ?? 0) > major || ((parts[0] ?? 0) === major && (parts[1] ?? 0) >= minor));
  return !atLeast(client, 23, 0) && atLeast(server, 18, 9);
}

export interface BuildOptions {
  docker: DockerClient;
  log: RunnerLog;
  choice: BuilderChoice;
  /** Secret build-arg values (AWS credentials) for the docker process environment. */
  secretEnv: Record<string, string>;
  showBuildCommand: boolean;
  /** Where buildx writes its metadata (the pushed digest). */
  metadataFile: string;
  /** Pushing builds only: the registry cache (one ref for buildx, per stage otherwise). */
  cache?: { buildxRef: string; stages: StageCache };
}

/**
 * Builds the image; with a cache (pushing builds) also the cache stages. buildx pushes the image
 * itself and returns its digest; the other builders leave the tags and `cache.stages.refs` to push.
 */
export async function buildImage(request: BuildRequest, options: BuildOptions): Promise<string | undefined> {
  const { docker, log, choice, cache } = options;
  const build = async (args: string[], env: Record<string, string>) => {
    if (options.showBuildCommand) log.info(`build command: docker ${args.join(' ')}`);
    await runDocker(docker, args, { env: { ...options.secretEnv, ...env } });
  };
  if (choice.builder === 'buildx') {
    if (!cache) throw new Error('chooseBuilder picks buildx for pushing builds only');
    await build(buildxBuildArgs(request, cache.buildxRef, options.metadataFile), {});
    return metadataDigest(options.metadataFile);
  }
  const env = { DOCKER_BUILDKIT: choice.builder === 'buildkit' ? '1' : '0' };
  const args = (stage: StageBuild, tags: string[]) =>
    choice.builder === 'buildkit'
      ? builtinBuildArgs(request, stage, tags, choice.buildxInstalled)
      : classicBuildArgs(request, stage, tags);
  if (!cache) {
    await build(args({ cacheFrom: [] }, request.imageRefs), env);
    return undefined;
  }
  const { stages } = cache;
  // The classic builder reuses only layers of images the engine has; BuildKit reads the registry.
  if (choice.builder === 'classic') await pullCacheImages(docker, log, stages.refs);
  for (const stage of stages.stages) {
    log.info(`cache: building stage ${stage.name} for ${stage.ref}`);
    await build(args({ target: stage.name, cacheFrom: stages.refs }, [stage.ref]), env);
  }
  await build(args({ cacheFrom: stages.refs }, [...request.imageRefs, stages.finalRef]), env);
  return undefined;
}

async function pullCacheImages(docker: DockerClient, log: RunnerLog, refs: string[]): Promise<void> {
  const pulled: string[] = [];
  for (const ref of refs)
    if ((await docker.run(['pull', ref], { quiet: true })).exitCode === 0) pulled.push(ref);
  log.info(`cache: pulled ${pulled.length} of ${refs.length} cache images`);
}

async function metadataDigest(metadataFile: string): Promise<string | undefined> {
  const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
  const digest = metadata['containerimage.digest'];
  return typeof digest === 'string' ? digest : undefined;
}
