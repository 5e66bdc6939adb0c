import { kilnConfigSchema } from '../../../../contract/config-schema';
import { decodeMembers, failedArchitecturesExitCode, memberTag } from '../../../../contract/multi-arch';
import { publishIndexWhenComplete } from '../../../../runner/registry/image-index';
import {
  httpManifestStore,
  type ManifestStore,
  manifestDigest,
} from '../../../../runner/registry/manifest-store';
import { readMultiArchBuild } from '../../../../runner/steps/multi-arch-environment';

const MEMBERS = [
  { arch: 'x86_64' as const, inputTag: 'kiln-input-x' },
  { arch: 'arm64' as const, inputTag: 'kiln-input-a' },
];

function memoryStore(initial: Record<string, string>): ManifestStore & { puts: string[] } {
  const manifests = new Map(Object.entries(initial));
  const puts: string[] = [];
  return {
    puts,
    get: async (reference) => {
      const body = manifests.get(reference);
      return body === undefined
        ? undefined
        : { body, digest: manifestDigest(body), size: body.length, mediaType: JSON.parse(body).mediaType };
    },
    put: async (tag, body) => {
      puts.push(tag);
      manifests.set(tag, body);
      return manifestDigest(body);
    },
  };
}

const image = (arch: string) =>
  JSON.stringify({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', arch });

test('the index waits for a missing member and publishes nothing', async () => {
  const store = memoryStore({ 'kiln-input-x': image('amd64') });
  expect(await publishIndexWhenComplete(store, MEMBERS, ['demo'])).toEqual({
    kind: 'waiting',
    missing: ['arm64'],
  });
  expect(store.puts).toEqual([]);
});

test('with every member, the same index (same digest) under every tag, whoever publishes it', async () => {
  const initial = { 'kiln-input-x': image('amd64'), 'kiln-input-a': image('arm64') };
  const first = await publishIndexWhenComplete(memoryStore(initial), MEMBERS, ['demo', 'latest']);
  const second = memoryStore(initial);
  const again = await publishIndexWhenComplete(second, MEMBERS, ['demo', 'latest']);
  expect(first.kind).toBe('published');
  expect(again).toEqual(first);
  expect(second.puts).toEqual(['demo', 'latest']);
  const index = JSON.parse((await second.get('demo'))!.body);
  expect(index).toMatchObject({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json' });
  expect(index.manifests).toEqual([
    expect.objectContaining({
      digest: manifestDigest(image('amd64')),
      platform: { os: 'linux', architecture: 'amd64' },
    }),
    expect.objectContaining({ platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }),
  ]);
});

test('the HTTP store sends ECR credentials as Basic auth, plain HTTP only to loopback', async () => {
  const requests: { url: string; init: RequestInit }[] = [];
  const fakeFetch = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    return new Response(init.method === 'PUT' ? '' : null, { status: init.method === 'PUT' ? 201 : 404 });
  }) as unknown as typeof fetch;
  const ecr = httpManifestStore(
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln',
    { username: 'AWS', password: 'pw' },
    fakeFetch,
  );
  expect(await ecr.get('kiln-input-x')).toBeUndefined();
  await ecr.put('demo', '{}', 'application/vnd.oci.image.index.v1+json');
  expect(requests[0]!.url).toBe(
    'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/kiln/manifests/kiln-input-x',
  );
  expect((requests[1]!.init.headers as Record<string, string>).authorization).toBe(
    `Basic ${Buffer.from('AWS:pw').toString('base64')}`,
  );
  await httpManifestStore('127.0.0.1:5000/app', undefined, fakeFetch).get('x');
  expect(requests[2]!.url).toBe('http://127.0.0.1:5000/v2/app/manifests/x');
  expect((requests[2]!.init.headers as Record<string, string>).authorization).toBeUndefined();
});

test('remote.arch: a list is normalised (order, repeats); one architecture stays a string', () => {
  expect(kilnConfigSchema.parse({ remote: { arch: ['arm64', 'x86_64', 'arm64'] } }).remote.arch).toEqual([
    'x86_64',
    'arm64',
  ]);
  expect(kilnConfigSchema.parse({ remote: { arch: ['arm64'] } }).remote.arch).toBe('arm64');
  expect(() => kilnConfigSchema.parse({ remote: { arch: ['sparc'] } })).toThrow();
});

test('member tags, members, exit codes, and the runner refusing inconsistent variables', () => {
  expect(memberTag('demo', 'arm64')).toBe('demo-arm64');
  expect(memberTag('x'.repeat(128), 'x86_64')).toHaveLength(128);
  expect(memberTag('x'.repeat(128), 'x86_64').endsWith('-x86_64')).toBe(true);
  expect(decodeMembers('x86_64=a,arm64=b', ['x86_64', 'arm64'])).toEqual([
    { arch: 'x86_64', inputTag: 'a' },
    { arch: 'arm64', inputTag: 'b' },
  ]);
  expect(
    [['x86_64'], ['arm64'], ['x86_64', 'arm64']].map((failed) =>
      failedArchitecturesExitCode(failed as ('x86_64' | 'arm64')[], ['x86_64', 'arm64']),
    ),
  ).toEqual([21, 22, 23]);
  expect(readMultiArchBuild({})).toEqual({});
  expect(
    readMultiArchBuild({
      KILN_ARCH: 'arm64',
      KILN_INDEX_TAGS: 'demo',
      KILN_INDEX_MEMBERS: 'x86_64=a,arm64=b',
    }),
  ).toEqual({
    multiArch: {
      arch: 'arm64',
      indexTags: ['demo'],
      members: [
        { arch: 'x86_64', inputTag: 'a' },
        { arch: 'arm64', inputTag: 'b' },
      ],
    },
  });
  expect(() =>
    readMultiArchBuild({ KILN_ARCH: 'arm64', KILN_INDEX_TAGS: 'demo', KILN_INDEX_MEMBERS: 'x86_64=a' }),
  ).toThrow(/arm64 is not one of the members/);
});
