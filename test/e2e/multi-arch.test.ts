// The image index of `kiln build --arch x86_64,arm64` against a real registry: two single-platform
// images (built here with --platform; no emulation needed for an image without RUN, so the arm64
// one is an image whose config says arm64), pushed under their input tags as each architecture's
// build pushes them, then the runner's own merge step (the one a CodeBuild build runs) publishes
// the index through the registry API. The registry shows both platforms; docker pulls each back by
// the index digest. The runner reads and writes manifests with the build role's credentials, so
// its registry calls are IAM-checked like a CodeBuild build's; the test's own reads are the harness's.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeMembers } from '../../contract/multi-arch';
import { RunnerLog } from '../../runner/log/logger';
import { httpManifestStore } from '../../runner/registry/manifest-store';
import { publishIndex } from '../../runner/steps/publish-index';
import { docker } from './support/docker';
import { e2eEnvironment } from './support/environment';
import { harnessFetch, registryClientEnv, runningE2eRegistry } from './support/registry';
import { e2eSuite } from './support/suite';

jest.setTimeout(5 * 60_000);

const { cleanup, workDir } = e2eSuite('multi-arch');
/** The engine's own CLI: BuildKit built in (DOCKER_BUILDKIT=1), which honours --platform for FROM scratch. */
const BUILDKIT = { DOCKER_BUILDKIT: '1', PATH: `/usr/bin:${process.env.PATH}` };

test('two single-platform images become one index with both platforms, pulled back by digest', async () => {
  const { registry } = e2eEnvironment();
  // The stack's repository, as a CodeBuild build pushes there; tags of this run's own.
  const repository = `${registry}/kiln`;
  const run = randomBytes(4).toString('hex');
  const context = workDir();
  await writeFile(join(context, 'hello.txt'), 'hello from kiln\n');
  await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /\n');
  const members = [
    { arch: 'x86_64' as const, platform: 'linux/amd64', inputTag: `kiln-input-x86-${run}` },
    { arch: 'arm64' as const, platform: 'linux/arm64', inputTag: `kiln-input-arm-${run}` },
  ];
  const lines: string[] = [];
  const log = new RunnerLog(undefined, (line) => lines.push(line));
  const multiArch = (arch: 'x86_64' | 'arm64') => ({
    arch,
    indexTags: [`demo-1-${run}`, `demo-latest-${run}`],
    members: members.map(({ arch: member, inputTag }) => ({ arch: member, inputTag })),
    indexInputTag: `kiln-input-index-${run}`,
  });
  const noToken = async () => {
    throw new Error('a plain registry needs no ECR token');
  };
  // What the runner's own store is given in CodeBuild: the registry credentials of the build role.
  const store = httpManifestStore(repository, runningE2eRegistry().credentials.build);

  for (const [position, member] of members.entries()) {
    const ref = cleanup.image(`${repository}:${member.inputTag}`);
    await docker(['build', '--platform', member.platform, '-t', ref, context], { env: BUILDKIT });
    // As that architecture's build pushes it: with the build role's credentials, so it is checked.
    await docker(['push', ref], { env: { ...BUILDKIT, ...registryClientEnv('build') } });
    // Each member's build runs the merge step after its push: the first finds the other missing.
    const published = await publishIndex(multiArch(member.arch), repository, {
      ecrTokens: noToken,
      log,
      store,
    });
    expect(published.kind).toBe(position === 0 ? 'waiting' : 'published');
  }
  expect(lines.join('\n')).toContain('image index: waiting for arm64');
  expect(encodeMembers(multiArch('arm64').members)).toBe(
    `x86_64=kiln-input-x86-${run},arm64=kiln-input-arm-${run}`,
  );

  // The registry API: the index under each tag, with both platforms.
  for (const tag of [`demo-1-${run}`, `demo-latest-${run}`, `kiln-input-index-${run}`]) {
    const response = await harnessFetch(`/v2/kiln/manifests/${tag}`, {
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
