// The merge step of a multi-architecture build: once this build's image is pushed, the image index
// is published if every member's image exists. Each build pushes before it looks, so whichever
// finishes last sees all members: the index never depends on the laptop that started the builds.
import { ecrRegion, registryHost } from '../ecr/registry-host';
import type { EcrTokenSource } from '../ecr/registry-login';
import type { RunnerLog } from '../log/logger';
import { type IndexPublication, publishIndexWhenComplete } from '../registry/image-index';
import { httpManifestStore, type ManifestStore } from '../registry/manifest-store';
import type { MultiArchBuild } from './multi-arch-environment';

export async function publishIndex(
  multiArch: MultiArchBuild,
  repositoryUri: string,
  { ecrTokens, log, store }: { ecrTokens: EcrTokenSource; log: RunnerLog; store?: ManifestStore },
): Promise<IndexPublication> {
  const region = ecrRegion(registryHost(repositoryUri));
  const credentials = region ? await ecrTokens(region) : undefined;
  if (credentials) log.masker.add(credentials.password);
  const tags = [...multiArch.indexTags, ...(multiArch.indexInputTag ? [multiArch.indexInputTag] : [])];
  const published = await publishIndexWhenComplete(
    store ?? httpManifestStore(repositoryUri, credentials),
    multiArch.members,
    tags,
  );
  if (published.kind === 'waiting') {
    log.info(
      `image index: waiting for ${published.missing.join(', ')}; the build that finishes last publishes it`,
    );
  } else {
    log.info(`image index ${repositoryUri}:${multiArch.indexTags[0]} (${published.digest})`);
    for (const member of published.members) log.info(`  ${member.arch}: ${member.digest}`);
  }
  return published;
}
