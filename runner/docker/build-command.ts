// The docker build command lines, for BuildKit (buildx) and the classic builder. Pure, so the
// flags that matter (cache, push, build-arg names without values) are unit-tested.

export interface BuildRequest {
  /** Build context (the project root). */
  contextDir: string;
  dockerfile: string;
  /** Full image references (`repo:tag`). */
  imageRefs: string[];
  /** Build-arg names; values come from the docker process environment. */
  buildArgNames: string[];
  /** Registry cache reference (`repo:cache-<name>`); undefined when nothing is pushed. */
  cacheRef?: string;
  push: boolean;
  /** `--network` for RUN instructions (KILN_DOCKER_NETWORK), e.g. `host`. */
  network?: string;
}

/** The buildx builder kiln creates: registry cache export needs the docker-container driver. */
export const BUILDX_BUILDER = 'kiln';

function commonFlags(request: BuildRequest): string[] {
  return [
    '--file',
    request.dockerfile,
    ...request.imageRefs.flatMap((ref) => ['--tag', ref]),
    ...request.buildArgNames.flatMap((name) => ['--build-arg', name]),
    ...(request.network ? ['--network', request.network] : []),
  ];
}

/** `docker buildx build`: pushes itself (with registry cache) or loads into the local engine. */
export function buildxBuildArgs(request: BuildRequest, metadataFile: string): string[] {
  const cache = request.cacheRef
    ? [
        '--cache-to',
        `type=registry,ref=${request.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true`,
        '--cache-from',
        `type=registry,ref=${request.cacheRef}`,
      ]
    : [];
  return [
    'buildx',
    'build',
    ...(request.push ? ['--builder', BUILDX_BUILDER] : []),
    '--progress',
    'plain',
    ...commonFlags(request),
    ...(request.network === 'host' ? ['--allow', 'network.host'] : []),
    // A plain image manifest, not an index with attestations: Lambda rejects indexes, and ECR's
    // "expire untagged" rule would otherwise see the attestation manifests as untagged images.
    '--provenance',
    'false',
    ...cache,
    request.push ? '--push' : '--load',
    '--metadata-file',
    metadataFile,
    request.contextDir,
  ];
}

/**
 * `docker buildx create` for the pushing builder, started at once (`--bootstrap`) so a builder that
 * cannot run is found before the build; host networking allowed for KILN_DOCKER_NETWORK=host.
 */
export function buildxCreateArgs(): string[] {
  return [
    'buildx',
    'create',
    '--name',
    BUILDX_BUILDER,
    '--driver',
    'docker-container',
    '--driver-opt',
    'network=host',
    '--buildkitd-flags',
    '--allow-insecure-entitlement network.host',
    '--bootstrap',
  ];
}

/** Classic `docker build`; the cache is a previously pushed image (pulled beforehand). */
export function classicBuildArgs(request: BuildRequest): string[] {
  return [
    'build',
    ...commonFlags(request),
    ...(request.cacheRef ? ['--cache-from', request.cacheRef] : []),
    request.contextDir,
  ];
}
