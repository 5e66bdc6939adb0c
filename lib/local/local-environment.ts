// The CodeBuild-like environment `kiln build --local` gives the buildspec commands.
import { randomUUID } from 'node:crypto';
import { BUILD_ARG_NAMES_VARIABLE, type BuildDescription } from '../../contract/description';
import { KilnError } from '../../contract/errors';
import { sanitizeTag } from '../../runner/index';

/** `HOST[:PORT]/REPO` (a repository, without tag or digest). */
const REGISTRY = /^[A-Za-z0-9.-]+(:\d+)?(\/[a-z0-9]+(?:[._-][a-z0-9]+)*)+$/;

export interface LocalEnvironmentInput {
  sourceDir: string;
  description: BuildDescription;
  registry?: string;
  push: boolean;
  buildArgs: Record<string, string>;
  /** `--secret` values: the runner hands them to docker as BuildKit secrets (names: build.json). */
  secrets?: Record<string, string>;
  /** The caller's environment (local credentials chain, PATH, DOCKER_HOST, KILN_DOCKER_NETWORK…). */
  baseEnv: NodeJS.ProcessEnv;
}

export function validateRegistry(registry: string): void {
  if (!REGISTRY.test(registry)) {
    throw new KilnError(
      `--registry "${registry}" is not HOST[:PORT]/REPO`,
      'Pass a repository without a tag, e.g. --registry 127.0.0.1:5000/kiln.',
    );
  }
}

/** The repository images are tagged into; without --registry a local-only name (never pushed). */
export function localRepository(description: BuildDescription, registry: string | undefined): string {
  return registry ?? `kiln-local/${sanitizeTag(description.name).toLowerCase() || 'app'}`;
}

export function localBuildEnvironment(input: LocalEnvironmentInput): NodeJS.ProcessEnv {
  const { description, baseEnv } = input;
  const region = baseEnv.AWS_REGION || baseEnv.AWS_DEFAULT_REGION || description.config.remote.region;
  const profile = baseEnv.AWS_PROFILE || description.config.remote.profile;
  return {
    ...baseEnv,
    ...input.buildArgs,
    ...input.secrets,
    CODEBUILD_BUILD_ID: `local:${randomUUID()}`,
    CODEBUILD_BUILD_NUMBER: '0',
    CODEBUILD_SRC_DIR: input.sourceDir,
    KILN_REPOSITORY_URI: localRepository(description, input.registry),
    KILN_PUSH: input.push && input.registry !== undefined ? 'true' : 'false',
    [BUILD_ARG_NAMES_VARIABLE]: Object.keys(input.buildArgs).join(','),
    ...(region ? { KILN_REGION: region, AWS_REGION: region } : {}),
    ...(profile ? { AWS_PROFILE: profile } : {}),
  };
}
