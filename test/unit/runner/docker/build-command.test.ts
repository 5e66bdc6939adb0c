import {
  type BuildRequest,
  buildxBuildArgs,
  classicBuildArgs,
} from '../../../../runner/docker/build-command';

const request: BuildRequest = {
  contextDir: '/src',
  dockerfile: '/src/Dockerfile.kiln',
  imageRefs: ['reg.example/kiln:shop-1', 'reg.example/kiln:latest'],
  buildArgNames: ['NPM_TOKEN', 'AWS_SECRET_ACCESS_KEY'],
  cacheRef: 'reg.example/kiln:cache-shop',
  push: true,
};

describe('buildx build command', () => {
  it('pushes with a registry cache (image manifest, OCI media types) on the kiln builder', () => {
    const args = buildxBuildArgs(request, '/src/.kiln-build/meta.json');
    expect(args.slice(0, 4)).toEqual(['buildx', 'build', '--builder', 'kiln']);
    expect(args.join(' ')).toContain(
      '--cache-to type=registry,ref=reg.example/kiln:cache-shop,mode=max,image-manifest=true,oci-mediatypes=true',
    );
    expect(args.join(' ')).toContain('--cache-from type=registry,ref=reg.example/kiln:cache-shop');
    expect(args).toContain('--push');
    expect(args).not.toContain('--load');
    expect(args.join(' ')).toContain('--tag reg.example/kiln:shop-1 --tag reg.example/kiln:latest');
    expect(args.join(' ')).toContain('--metadata-file /src/.kiln-build/meta.json');
    expect(args.at(-1)).toBe('/src');
  });

  it('pushes a plain image manifest without provenance attestations (Lambda rejects image indexes)', () => {
    expect(buildxBuildArgs(request, '/m.json').join(' ')).toContain('--provenance false');
  });

  it('loads into the local engine, without cache or custom builder, when not pushing', () => {
    const args = buildxBuildArgs({ ...request, push: false, cacheRef: undefined }, '/m.json');
    expect(args).toContain('--load');
    expect(args).not.toContain('--push');
    expect(args).not.toContain('--builder');
    expect(args.join(' ')).not.toContain('--cache');
  });

  it('passes host networking with its entitlement', () => {
    const args = buildxBuildArgs({ ...request, network: 'host' }, '/m.json').join(' ');
    expect(args).toContain('--network host');
    expect(args).toContain('--allow network.host');
  });
});

describe('classic build command', () => {
  it('uses the pushed cache image with --cache-from', () => {
    expect(classicBuildArgs({ ...request, network: 'host' })).toEqual([
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
      'AWS_SECRET_ACCESS_KEY',
      '--network',
      'host',
      '--cache-from',
      'reg.example/kiln:cache-shop',
      '/src',
    ]);
  });

  it('passes build args by name only', () => {
    for (const args of [classicBuildArgs(request), buildxBuildArgs(request, '/m.json')]) {
      const values = args.filter((_, i) => args[i - 1] === '--build-arg');
      expect(values).toEqual(['NPM_TOKEN', 'AWS_SECRET_ACCESS_KEY']);
    }
  });
});
