// The laptop's view of the repository's manifests through ECR's API (BatchGetImage, PutImage: the
// user policy's ReuseUnchangedImages grant), for the image index of a multi-architecture build.
import type { ECRClient } from '@aws-sdk/client-ecr';
import { type ManifestStore, manifestDigest } from '../../runner/index';
import { findBuiltImage, tagBuiltImage } from './built-image';

export function ecrManifestStore(ecr: Pick<ECRClient, 'send'>, repository: string): ManifestStore {
  return {
    async get(tag) {
      const found = await findBuiltImage(ecr, repository, tag);
      if (found.kind === 'unavailable') throw new Error(`cannot read ${repository}:${tag}: ${found.reason}`);
      if (found.kind === 'missing') return undefined;
      const mediaType =
        found.mediaType ?? (JSON.parse(found.manifest) as { mediaType?: string }).mediaType ?? '';
      return {
        digest: found.digest,
        mediaType,
        size: Buffer.byteLength(found.manifest),
        body: found.manifest,
      };
    },
    async put(tag, body, mediaType) {
      const digest = manifestDigest(body);
      await tagBuiltImage(ecr, repository, { kind: 'found', digest, manifest: body, mediaType }, [tag]);
      return digest;
    },
  };
}
