import {
  type BuildRequest,
  buildxBuildArgs,
  builtinBuildArgs,
  classicBuildArgs,
} from '../../../../runner/docker/build-command';

const request: BuildRequest = {
  contextDir: '/src',
  dockerfile: '/src/Dockerfile.kiln',
  imageRefs: ['reg.example/kiln:shop-1', 'reg.example/kiln:latest'],
  buildArgNames: ['NPM_TOKEN', 'AWS_REGION'],
  secrets: { aws: '/tmp/kiln-credentials-x/credentials' },
};
const CACHE = 'reg.example/kiln:cache-shop-x86_64';

describe('buildx build command (kiln builder)', () => {
  it('pushes with a registry cache (image manifest, OCI media types) on the kiln builder', () => {
    const args = buildxBuildArgs(request, CACHE, '/src/.kiln-build/meta.json');
    expect(args.slice(0, 4)).toEqual(['buildx', 'build', '--builder', 'kiln']);
    expect(args.join(' ')).toContain(
      `--cache-to type=registry,ref=${CACHE},mode=max,image-manifest=true,oci-mediatypes=true`,
    );
    expect(args.join(' ')).toContain(`--cache-from type=registry,ref=${CACHE}`);
    expect(args).toContain('--push');
    expect(args.join(' ')).toContain('--tag reg.example/kiln:shop-1 --tag reg.example/kiln:latest');
    expect(args.join(' ')).toContain('--metadata-file /src/.kiln-build/meta.json');
    expect(args.join(' ')).toContain('--secret id=aws,src=/tmp/kiln-credentials-x/credentials');
    expect(args.at(-1)).toBe('/src');
  });

  it('pushes a plain image manifest without provenance attestations (Lambda rejects image indexes)', () => {
    expect(buildxBuildArgs(request, CACHE, '/m.json').join(' ')).toContain('--provenance false');
  });

  it('passes host networking with its entitlement', () => {
    const args = buildxBuildArgs({ ...request, network: 'host' }, CACHE, '/m.json').join(' ');
    expect(args).toContain('--network host');
    expect(args).toContain('--allow network.host');
  });
});

describe("the engine's built-in BuildKit", () => {
  const stage = { target: 'deps', cacheFrom: [`${CACHE}-deps`, `${CACHE}-final`] };

  it('docker build (DOCKER_BUILDKIT=1): a stage target, the secret, inline cache and every cache image', () => {
    expect(builtinBuildArgs(request, stage, [`${CACHE}-deps`], false)).toEqual([
      'build',
      '--progress',
      'plain',
      '--file',
      '/src/Dockerfile.kiln',
      '--tag',
      `${CACHE}-deps`,
      '--build-arg',
      'NPM_TOKEN',
      '--build-arg',
      'AWS_REGION',
      '--target',
      'deps',
      '--secret',
      'id=aws,src=/tmp/kiln-credentials-x/credentials',
      '--build-arg',
      'BUILDKIT_INLINE_CACHE=1',
      '--cache-from',
      `${CACHE}-deps`,
      '--cache-from',
      `${CACHE}-final`,
      '/src',
    ]);
  });

  it("through buildx's default builder, loaded into the engine, when buildx is installed", () => {
    const args = builtinBuildArgs(request, stage, request.imageRefs, true);
    expect(args.slice(0, 7)).toEqual([
      'buildx',
      'build',
      '--builder',
      'default',
      '--load',
      '--provenance',
      'false',
    ]);
  });

  it('without a cache (builds that are not pushed): no cache flags', () => {
    expect(builtinBuildArgs(request, { cacheFrom: [] }, request.imageRefs, false).join(' ')).not.toMatch(
      /cache|--target/,
    );
  });
});

describe('classic build command', () => {
  it('uses the pulled cache images with --cache-from, no secret', () => {
    expect(
      classicBuildArgs({ ...request, network: 'host' }, { cacheFrom: [`${CACHE}-deps`] }, request.imageRefs),
    ).toEqual([
      'build',
      '--file',
      '/src/Dockerfile.kiln',
      '--tag',
      'reg.example/kiln:shop-1',
      '--tag',
      'reg.example/kiln:latest',
      '--build-arg',
      'NPM_TOKEN',
      '--build-arg',
      'AWS_REGION',
      '--network',
      'host',
      '--cache-from',
      `${CACHE}-deps`,
      '/src',
    ]);
  });

  it('passes build args by name only', () => {
    for (const args of [
      classicBuildArgs(request, { cacheFrom: [] }, []),
      buildxBuildArgs(request, CACHE, '/m.json'),
      builtinBuildArgs(request, { cacheFrom: [] }, [], false),
    ]) {
      const values = args.filter((_, i) => args[i - 1] === '--build-arg');
      expect(values).toEqual(['NPM_TOKEN', 'AWS_REGION']);
    }
  });
});
