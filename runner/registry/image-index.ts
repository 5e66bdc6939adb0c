// The multi-platform image: an OCI image index pointing at each architecture's image by digest.
// Built deterministically (members in ARCHITECTURES order, stable JSON), so two builds that both
// find every member publish the very same index: publishing twice is harmless.
import type { Architecture } from '../../contract/config-schema';
import { type IndexMember, PLATFORMS } from '../../contract/multi-arch';
import type { ManifestStore, StoredManifest } from './manifest-store';

export const INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';

export interface ImageIndex {
  body: string;
  mediaType: string;
}

/** The index document for the members' manifests (in the order given). */
export function imageIndex(members: readonly { arch: Architecture; manifest: StoredManifest }[]): ImageIndex {
  const document = {
    schemaVersion: 2,
    mediaType: INDEX_MEDIA_TYPE,
    manifests: members.map(({ arch, manifest }) => ({
      mediaType: manifest.mediaType,
      digest: manifest.digest,
      size: manifest.size,
      platform: PLATFORMS[arch],
    })),
  };
  return { body: JSON.stringify(document), mediaType: INDEX_MEDIA_TYPE };
}

export type IndexPublication =
  | { kind: 'published'; digest: string; members: { arch: Architecture; digest: string }[] }
  /** Some member is not pushed yet: its build, finishing later, publishes the index. */
  | { kind: 'waiting'; missing: Architecture[] };

/**
 * Publishes the index under every tag once every member's image exists (found by its input tag);
 * otherwise changes nothing and says which members are missing.
 */
export async function publishIndexWhenComplete(
  store: ManifestStore,
  members: readonly IndexMember[],
  tags: readonly string[],
): Promise<IndexPublication> {
  const found = await Promise.all(
    members.map(async (member) => ({ arch: member.arch, manifest: await store.get(member.inputTag) })),
  );
  const missing = found.filter((member) => !member.manifest).map((member) => member.arch);
  if (missing.length > 0) return { kind: 'waiting', missing };
  const complete = found as { arch: Architecture; manifest: StoredManifest }[];
  const index = imageIndex(complete);
  let digest = '';
  for (const tag of tags) digest = await store.put(tag, index.body, index.mediaType);
  return {
    kind: 'published',
    digest,
    members: complete.map(({ arch, manifest }) => ({ arch, digest: manifest.digest })),
  };
}
