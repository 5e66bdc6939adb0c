// The image index of `kiln build --arch x86_64,arm64` against a real registry: two single-platform
// images (built here with --platform; no emulation needed for an image without RUN, so the arm64
// one is an image whose config says arm64), pushed under their input tags as each architecture's
// build pushes them, then the runner's own merge step (the one a CodeBuild build runs) publishes
// the index through the registry API. The registry shows both platforms; docker pulls each back by
// the index digest.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeMembers } from '../../contract/multi-arch';
import { RunnerLog } from '../../runner/log/logger';
import { publishIndex } from '../../runner/steps/publish-index';
import { docker } from './support/docker';
import { e2eEnvironment } from './support/environment';
import { e2eSuite } from './support/suite';

jest.setTimeout(5 * 60_000);

const { cleanup, workDir } = e2eSuite('multi-arch');
/** The engine's own CLI: BuildKit built in (DOCKER_BUILDKIT=1), which honours --platform for FROM scratch. */
const BUILDKIT = { DOCKER_BUILDKIT: '1', PATH: `/usr/bin:${process.env.PATH}` };

test('two single-platform images become one index with both platforms, pulled back by digest', async () => {
  const { registry } = e2eEnvironment();
  const repository = `${registry}/kiln-multiarch-${randomBytes(4).toString('hex')}`;
  const context = workDir();
  await writeFile(join(context, 'hello.txt'), 'hello from kiln\n');
  await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /\n');
  const members = [
    { arch: 'x86_64' as const, platform: 'linux/amd64', inputTag: 'kiln-input-x86' },
    { arch: 'arm64' as const, platform: 'linux/arm64', inputTag: 'kiln-input-arm' },
  ];
  const lines: string[] = [];
  const log = new RunnerLog(undefined, (line) => lines.push(line));
  const multiArch = (arch: 'x86_64' | 'arm64') => ({
    arch,
    indexTags: ['demo-1', 'demo-latest'],
    members: members.map(({ arch: member, inputTag }) => ({ arch: member, inputTag })),
    indexInputTag: 'kiln-input-index',
  });
  const noToken = async () => {
    throw new Error('a plain registry needs no ECR token');
  };

  for (const [position, member] of members.entries()) {
    const ref = cleanup.image(`${repository}:${member.inputTag}`);
    await docker(['build', '--platform', member.platform, '-t', ref, context], { env: BUILDKIT });
    await docker(['push', ref], { env: BUILDKIT });
    // Each member's build runs the merge step after its push: the first finds the other missing.
    const published = await publishIndex(multiArch(member.arch), repository, { ecrTokens: noToken, log });
    expect(published.kind).toBe(position === 0 ? 'waiting' : 'published');
  }
  expect(lines.join('\n')).toContain('image index: waiting for arm64');
  expect(encodeMembers(multiArch('arm64').members)).toBe('x86_64=kiln-input-x86,arm64=kiln-input-arm');

  // The registry API: the index under each tag, with both platforms.
  const [host, ...path] = repository.split('/');
  for (const tag of ['demo-1', 'demo-latest', 'kiln-input-index']) {
    const response = await fetch(`http://${host}/v2/${path.join('/')}/manifests/${tag}`, {
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    });
    expect(response.status).toBe(200);
    const index = (await response.json()) as { manifests: { platform: { architecture: string } }[] };
    expect(index.manifests.map((manifest) => manifest.platform.architecture)).toEqual(['amd64', 'arm64']);
  }
  const digest = /image index \S+ \((sha256:[0-9a-f]{64})\)/.exec(lines.join('\n'))?.[1];
  expect(digest).toBeDefined();

  // Pulled back by the index digest, each platform resolves to its own image.
  for (const member of members) {
    const byDigest = cleanup.image(`${repository}@${digest}`);
    await docker(['rmi', '-f', byDigest], { env: BUILDKIT }).catch(() => '');
    await docker(['pull', '--platform', member.platform, byDigest], { env: BUILDKIT });
    const architecture = (
      await docker(['image', 'inspect', '--format', '{{.Architecture}}', byDigest], { env: BUILDKIT })
    ).trim();
    expect(architecture).toBe(member.platform.split('/')[1]);
  }
});
