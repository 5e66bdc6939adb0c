// The docker build command lines of the three builders kiln drives. Pure, so the flags that matter
// (cache, push, secrets, build-arg names without values) are unit-tested.

/**
 * - `buildx`: BuildKit in kiln's docker-container buildx builder: registry cache (mode=max, every
 *   stage in one cache ref), pushes itself;
 * - `buildkit`: the engine's built-in BuildKit (buildx's default docker driver, or DOCKER_BUILDKIT=1
 *   with a docker CLI older than 23): inline cache, one cache image per stage;
 * - `classic`: the legacy builder: one cache image per stage, pulled and used with --cache-from.
 */
export type Builder = 'buildx' | 'buildkit' | 'classic';
export const BUILDERS: readonly Builder[] = ['buildx', 'buildkit', 'classic'];

export interface BuildRequest {
  /** Build context (the project root). */
  contextDir: string;
  dockerfile: string;
  /** Full image references (`repo:tag`). */
  imageRefs: string[];
  /** Build-arg names; values come from the docker process environment. */
  buildArgNames: string[];
  /** `--network` for RUN instructions (KILN_DOCKER_NETWORK), e.g. `host`. */
  network?: string;
  /** BuildKit secrets: id → file (the AWS shared-credentials file). */
  secrets?: Record<string, string>;
}

/** One `docker build` of the built-in BuildKit or the classic builder. */
export interface StageBuild {
  /** `--target`; undefined builds the final stage. */
  target?: string;
  /** Images whose layers (and, with BuildKit, inline cache) this build may reuse. */
  cacheFrom: string[];
}

/** The buildx builder kiln creates: registry cache export needs the docker-container driver. */
export const BUILDX_BUILDER = 'kiln';

function commonFlags(request: BuildRequest, tags: string[]): string[] {
  return [
    '--file',
    request.dockerfile,
    ...tags.flatMap((ref) => ['--tag', ref]),
    ...request.buildArgNames.flatMap((name) => ['--build-arg', name]),
    ...(request.network ? ['--network', request.network] : []),
  ];
}

function secretFlags(request: BuildRequest): string[] {
  return Object.entries(request.secrets ?? {}).flatMap(([id, file]) => ['--secret', `id=${id},src=${file}`]);
}

/** `docker buildx build` on kiln's builder: pushes itself with the registry cache (`cacheRef`). */
export function buildxBuildArgs(request: BuildRequest, cacheRef: string, metadataFile: string): string[] {
  return [
    'buildx',
    'build',
    '--builder',
    BUILDX_BUILDER,
    '--progress',
    'plain',
    ...commonFlags(request, request.imageRefs),
    ...(request.network === 'host' ? ['--allow', 'network.host'] : []),
    ...secretFlags(request),
    // A plain image manifest, not an index with attestations: Lambda rejects indexes, and ECR's
    // "expire untagged" rule would otherwise see the attestation manifests as untagged images.
    '--provenance',
    'false',
    '--cache-to',
    `type=registry,ref=${cacheRef},mode=max,image-manifest=true,oci-mediatypes=true`,
    '--cache-from',
    `type=registry,ref=${cacheRef}`,
    '--push',
    '--metadata-file',
    metadataFile,
    request.contextDir,
  ];
}

/**
 * `docker buildx create` for the pushing builder (its BuildKit image: `builderImage`, else Docker
 * Hub's moby/buildkit), started at once (`--bootstrap`) so a builder that
 * cannot run is found before the build; host networking allowed for KILN_DOCKER_NETWORK=host.
 */
export function buildxCreateArgs(builderImage?: string): string[] {
  return [
    'buildx',
    'create',
    '--name',
    BUILDX_BUILDER,
    '--driver',
    'docker-container',
    '--driver-opt',
    'network=host',
    // The moby/buildkit image through the pull-through cache instead of Docker Hub (CodeBuild).
    ...(builderImage ? ['--driver-opt', `image=${builderImage}`] : []),
    '--buildkitd-flags',
    '--allow-insecure-entitlement network.host',
    '--bootstrap',
  ];
}

/**
 * The engine's built-in BuildKit: through buildx's `default` builder (docker driver, result loaded
 * into the engine) when buildx is installed, else `docker build` with DOCKER_BUILDKIT=1 in the
 * environment. BUILDKIT_INLINE_CACHE stores the cache metadata in the image, so a pushed image is a
 * cache source on a fresh engine.
 */
export function builtinBuildArgs(
  request: BuildRequest,
  stage: StageBuild,
  tags: string[],
  viaBuildx: boolean,
): string[] {
  return [
    ...(viaBuildx
      ? ['buildx', 'build', '--builder', 'default', '--load', '--provenance', 'false']
      : ['build']),
    '--progress',
    'plain',
    ...commonFlags(request, tags),
    ...(stage.target ? ['--target', stage.target] : []),
    ...secretFlags(request),
    ...(stage.cacheFrom.length > 0 ? ['--build-arg', 'BUILDKIT_INLINE_CACHE=1'] : []),
    ...stage.cacheFrom.flatMap((ref) => ['--cache-from', ref]),
    request.contextDir,
  ];
}

/** Classic `docker build`; the cache images must be in the engine already (pulled beforehand). */
export function classicBuildArgs(request: BuildRequest, stage: StageBuild, tags: string[]): string[] {
  return [
    'build',
    ...commonFlags(request, tags),
    ...(stage.target ? ['--target', stage.target] : []),
    ...stage.cacheFrom.flatMap((ref) => ['--cache-from', ref]),
    request.contextDir,
  ];
}
