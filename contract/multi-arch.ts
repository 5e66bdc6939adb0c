// What `kiln build --arch x86_64,arm64` and the runner agree on: the variables that turn one build
// of a shared archive into one architecture's member of an image index, the member tag suffix, and
// the platform each architecture's image declares in the index.
import type { Architecture } from './config-schema';
import type { KilnVariableName } from './environment';

export const MULTI_ARCH_VARIABLES = {
  arch: 'KILN_ARCH',
  indexTags: 'KILN_INDEX_TAGS',
  members: 'KILN_INDEX_MEMBERS',
  indexInputTag: 'KILN_INDEX_INPUT_TAG',
} as const satisfies Record<string, KilnVariableName>;

/** The OCI platform of each architecture's image (what `docker pull` matches against). */
export const PLATFORMS: Record<Architecture, { os: 'linux'; architecture: string; variant?: string }> = {
  x86_64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64', variant: 'v8' },
};

/** Manifest media types kiln reads: single-platform images and indexes, OCI and Docker's. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

const MAX_TAG = 128;

/** A member image's tag: the requested tag with `-<arch>`, cut so the suffix survives the tag limit. */
export function memberTag(tag: string, arch: Architecture): string {
  const suffix = `-${arch}`;
  return `${tag.slice(0, MAX_TAG - suffix.length)}${suffix}`;
}

export interface IndexMember {
  arch: Architecture;
  /** The member's input key tag (lib/aws/built-image.ts), pushed by its build. */
  inputTag: string;
}

export function encodeMembers(members: readonly IndexMember[]): string {
  return members.map((member) => `${member.arch}=${member.inputTag}`).join(',');
}

export function decodeMembers(value: string, architectures: readonly string[]): IndexMember[] {
  return value
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const [arch = '', inputTag = ''] = pair.split('=');
      if (!architectures.includes(arch) || !inputTag) throw new Error(`malformed index member "${pair}"`);
      return { arch: arch as Architecture, inputTag };
    });
}

/**
 * Exit code of a multi-architecture build in which some architectures failed: 20 plus one bit per
 * failed architecture, in ARCHITECTURES order (21: x86_64, 22: arm64, 23: both).
 */
export function failedArchitecturesExitCode(
  failed: readonly Architecture[],
  architectures: readonly Architecture[],
): number {
  return failed.reduce((code, arch) => code + 2 ** architectures.indexOf(arch), 20);
}
