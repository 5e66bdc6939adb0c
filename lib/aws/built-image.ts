// "No build at all when nothing changed": the input key of a build (everything that decides the
// image), a tag derived from it that every remote build pushes, and the ECR lookup that finds an
// image built from the same input and tags it as requested (PutImage with its manifest) instead
// of building again. Base images move: a skipped build keeps the base the image was built on.
import { createHash } from 'node:crypto';
import { BatchGetImageCommand, type ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { MANIFEST_TYPES } from '../../contract/multi-arch';
import { errorName } from './error-name';
import { messageOf } from './errors';

export interface BuildInput {
  /**
   * sha256 of the source archive: files, hooks, runner bundle and the build description, whose
   * config holds every override (--image, --dockerfile, dockerfile.baseImage, tag format).
   */
  archiveSha256: string;
  arch: string;
  /** `--env` build args: names and values (not in the archive). */
  buildArgs: Record<string, string>;
}

/** Same input → same key; order of the build args does not matter. */
export function inputKey(input: BuildInput): string {
  const buildArgs = Object.keys(input.buildArgs)
    .sort()
    .map((name) => [name, input.buildArgs[name]]);
  const canonical = JSON.stringify([input.archiveSha256, input.arch, buildArgs]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The tag every remote build pushes beside the requested ones (INPUT_TAG_VARIABLE). */
export function inputTag(key: string): string {
  return `kiln-input-${key.slice(0, 40)}`;
}

/** What a lookup found: the image built from this input, nothing, or a reason it could not look. */
export type BuiltImageLookup =
  | { kind: 'found'; digest: string; manifest: string; mediaType?: string }
  | { kind: 'missing' }
  | { kind: 'unavailable'; reason: string };

/** One BatchGetImage call: the manifest of `<repository>:<tag>`, if it exists. */
export async function findBuiltImage(
  ecr: Pick<ECRClient, 'send'>,
  repository: string,
  tag: string,
): Promise<BuiltImageLookup> {
  try {
    const response = await ecr.send(
      new BatchGetImageCommand({
        repositoryName: repository,
        imageIds: [{ imageTag: tag }],
        // Image indexes too (a multi-architecture build's), which ECR returns only when accepted.
        acceptedMediaTypes: MANIFEST_TYPES,
      }),
    );
    const image = response.images?.[0];
    if (!image?.imageManifest || !image.imageId?.imageDigest) return { kind: 'missing' };
    return {
      kind: 'found',
      digest: image.imageId.imageDigest,
      manifest: image.imageManifest,
      ...(image.imageManifestMediaType ? { mediaType: image.imageManifestMediaType } : {}),
    };
  } catch (error) {
    return { kind: 'unavailable', reason: `${errorName(error)}: ${messageOf(error)}` };
  }
}

/** Adds each tag to the found image; a tag already on it is fine. */
export async function tagBuiltImage(
  ecr: Pick<ECRClient, 'send'>,
  repository: string,
  image: Extract<BuiltImageLookup, { kind: 'found' }>,
  tags: string[],
): Promise<void> {
  for (const tag of tags) {
    try {
      await ecr.send(
        new PutImageCommand({
          repositoryName: repository,
          imageManifest: image.manifest,
          ...(image.mediaType ? { imageManifestMediaType: image.mediaType } : {}),
          imageTag: tag,
        }),
      );
    } catch (error) {
      if (errorName(error) !== 'ImageAlreadyExistsException') throw error;
    }
  }
}
