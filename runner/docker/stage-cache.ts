// The registry cache of the built-in BuildKit and the classic builder: one cache image per stage
// worth caching, tagged `cache-<project>-<arch>-<stage>` beside the image. A fresh engine (every
// CodeBuild build) has no layers of its own, and the final image alone holds only the last stage,
// so without these the dependency install would run again on every build.
import { parseDockerfile } from '../dockerfile/parse';
import { sanitizeTag } from '../tags/format-tags';

export interface StageCache {
  /** Stages built (`--target`) and pushed as cache images before the final build, in order. */
  stages: { name: string; ref: string }[];
  /** The cache tag of the final image. */
  finalRef: string;
  /** Every cache image: what each build reuses. */
  refs: string[];
}

/** The cache ref prefix of a project and architecture: `<repository>:cache-<project>-<arch>`. */
export function cacheRefPrefix(repositoryUri: string, project: string, arch: string): string {
  return `${repositoryUri}:cache-${sanitizeTag(`${project}-${arch}`)}`;
}

/**
 * Named stages before the last, except:
 * - stages that declare an ARG outside `recordable`: a RUN after an ARG records the value in the
 *   image history, and a cache image is pushed (the classic builder's credential args, secrets given
 *   as build args). `recordable` holds the names whose values anyone who may pull the image may read
 *   anyway (the region, `--env` values: docs/cli.md);
 * - stages another cached stage starts FROM: that stage's image holds their layers already.
 *
 * The build stage (FROM deps, declaring only the region) is cached for the built-in BuildKit's sake:
 * the image's build reaches the dependency install through it, with the whole build context, while
 * `--target prod-deps` reaches it with only the package files, and the two cache keys differ. Engine
 * 20.10's inline cache re-exports a step it took from an imported cache under the first key only, so
 * without a cache image built the image's way, every rebuild after the first on a fresh engine ran
 * the install again (test/e2e/codebuild-conditions.test.ts).
 */
export function planStageCache(
  dockerfile: string,
  prefix: string,
  recordable: ReadonlySet<string> = new Set(),
): StageCache {
  const stages: { name: string; from: string; declaresUnrecordableArg: boolean }[] = [];
  // `ARG A B=1` declares both; a token that is no plain name (a quoted default) counts as unrecordable.
  const unrecordable = (args: string) =>
    args.split(/\s+/).some((token) => !recordable.has(token.split('=')[0] ?? ''));
  for (const instruction of parseDockerfile(dockerfile).instructions) {
    if (instruction.keyword === 'FROM') {
      const [from = '', , name = ''] = instruction.args.split(/\s+/);
      stages.push({ name, from, declaresUnrecordableArg: false });
    } else if (instruction.keyword === 'ARG' && stages.length > 0 && unrecordable(instruction.args)) {
      (stages.at(-1) as { declaresUnrecordableArg: boolean }).declaresUnrecordableArg = true;
    }
  }
  const candidates = stages
    .slice(0, -1)
    .filter((stage) => stage.name !== '' && !stage.declaresUnrecordableArg);
  const parents = new Set(candidates.map((stage) => stage.from));
  const cached = candidates
    .filter((stage) => !parents.has(stage.name))
    .map((stage) => ({ name: stage.name, ref: `${prefix}-${sanitizeTag(stage.name)}` }));
  const finalRef = `${prefix}-final`;
  return { stages: cached, finalRef, refs: [...cached.map((stage) => stage.ref), finalRef] };
}
