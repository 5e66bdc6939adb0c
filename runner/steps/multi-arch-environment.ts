// The variables that make a build one architecture's member of an image index (contract/multi-arch.ts).
import { ARCHITECTURES, type Architecture } from '../../contract/config-schema';
import { KilnError } from '../../contract/errors';
import { decodeMembers, type IndexMember, MULTI_ARCH_VARIABLES } from '../../contract/multi-arch';

export interface MultiArchBuild {
  arch: Architecture;
  /** The requested tags: the index's; this build pushes each with its `-<arch>` suffix. */
  indexTags: string[];
  members: IndexMember[];
  indexInputTag?: string;
}

export function readMultiArchBuild(env: NodeJS.ProcessEnv): { multiArch?: MultiArchBuild } {
  const arch = env[MULTI_ARCH_VARIABLES.arch];
  if (!arch) return {};
  const problem = (detail: string) =>
    new KilnError(
      `the multi-architecture build variables are inconsistent: ${detail}`,
      'They are set by `kiln build --arch x86_64,arm64`; start the build with kiln rather than by hand.',
    );
  if (!ARCHITECTURES.includes(arch as Architecture)) throw problem(`${MULTI_ARCH_VARIABLES.arch}=${arch}`);
  const indexTags = (env[MULTI_ARCH_VARIABLES.indexTags] ?? '').split(',').filter(Boolean);
  if (indexTags.length === 0) throw problem(`${MULTI_ARCH_VARIABLES.indexTags} is empty`);
  let members: IndexMember[];
  try {
    members = decodeMembers(env[MULTI_ARCH_VARIABLES.members] ?? '', ARCHITECTURES);
  } catch (error) {
    throw problem((error as Error).message);
  }
  if (!members.some((member) => member.arch === arch)) throw problem(`${arch} is not one of the members`);
  const indexInputTag = env[MULTI_ARCH_VARIABLES.indexInputTag] || undefined;
  return {
    multiArch: {
      arch: arch as Architecture,
      indexTags,
      members,
      ...(indexInputTag ? { indexInputTag } : {}),
    },
  };
}
