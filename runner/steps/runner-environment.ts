// What the runner reads from its environment (CodeBuild's variables, the CDK stack's KILN_*,
// and `kiln build --local`'s stand-ins), parsed once.
import {
  BUILD_ARG_NAMES_VARIABLE,
  INPUT_TAG_VARIABLE,
  SECRET_PARAMETERS_VARIABLE,
} from '../../contract/description';
import { KilnError } from '../../contract/errors';
import { BUILDERS, type Builder } from '../docker/build-command';
import type { ImageMirrors } from '../ecr/base-image-mirror';
import { type MultiArchBuild, readMultiArchBuild } from './multi-arch-environment';

export interface RunnerEnvironment {
  /** The extracted archive: build context and home of `.kiln-build/`. */
  sourceDir: string;
  /** Target repository, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln`. */
  repositoryUri: string;
  region?: string;
  buildNumber?: string;
  /** `KILN_PUSH=false` builds and tags only (`kiln build --local --no-push`). */
  push: boolean;
  /** `KILN_DOCKER_NETWORK`: `--network` for the build's RUN instructions (e.g. `host`). */
  network?: string;
  /** `KILN_DOCKER_IMAGE`: a prebuilt image to retag and push; wins over `docker.image`. */
  prebuiltImage?: string;
  /** User build args (names); their values are environment variables of the same name. */
  buildArgNames: string[];
  /** `KILN_BUILDER`: the builder to use instead of the best one the engine offers. */
  builder?: Builder;
  /** `KILN_INPUT_TAG`: the input key's tag, pushed too, so an unchanged re-run finds this image. */
  inputTag?: string;
  /**
   * `KILN_BASE_IMAGE_MIRROR` (and `KILN_DOCKER_HUB_MIRROR`): the pull-through caches every image the
   * build pulls goes through (CodeBuild); unset on a laptop, where images keep their familiar names.
   */
  imageMirrors?: ImageMirrors;
  /** `KILN_SECRET_PARAMETERS`: SSM path of this build's secrets, deleted once read (remote builds). */
  secretParameters?: string;
  /** Inside CodeBuild (container credentials available): missing AWS credentials are an error. */
  inCodeBuild: boolean;
  /** `KILN_CREDENTIALS_REFRESH_SECONDS`: how often the BuildKit credentials file is renewed (300). */
  credentialsRefreshSeconds: number;
  /** This build is one architecture's member of an image index (`kiln build --arch x86_64,arm64`). */
  multiArch?: MultiArchBuild;
}

export function readRunnerEnvironment(env: NodeJS.ProcessEnv, cwd: string): RunnerEnvironment {
  const repositoryUri = env.KILN_REPOSITORY_URI;
  if (!repositoryUri) {
    throw new KilnError(
      'KILN_REPOSITORY_URI is not set',
      'The CodeBuild project sets it; to run a build on your machine use `kiln build --local`.',
    );
  }
  const buildArgNames = (env[BUILD_ARG_NAMES_VARIABLE] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const builder = env.KILN_BUILDER || undefined;
  if (builder !== undefined && !BUILDERS.includes(builder as Builder)) {
    throw new KilnError(
      `KILN_BUILDER is "${builder}", which is not a builder kiln knows`,
      `Use one of ${BUILDERS.join(', ')}, or unset it to let kiln pick the best the engine offers.`,
    );
  }
  const refresh = env.KILN_CREDENTIALS_REFRESH_SECONDS || '300';
  if (!/^[1-9]\d{0,4}$/.test(refresh)) {
    throw new KilnError(
      `KILN_CREDENTIALS_REFRESH_SECONDS is "${refresh}", not a whole number of seconds from 1 to 99999`,
      'Unset it (every 300 s), or set it to how often the build’s AWS credentials file is renewed.',
    );
  }
  return {
    builder: builder as Builder | undefined,
    inputTag: env[INPUT_TAG_VARIABLE] || undefined,
    sourceDir: env.CODEBUILD_SRC_DIR || cwd,
    repositoryUri,
    region: env.KILN_REGION || env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    buildNumber: env.CODEBUILD_BUILD_NUMBER || undefined,
    push: env.KILN_PUSH !== 'false',
    network: env.KILN_DOCKER_NETWORK || undefined,
    prebuiltImage: env.KILN_DOCKER_IMAGE || undefined,
    buildArgNames,
    imageMirrors: readImageMirrors(env),
    secretParameters: env[SECRET_PARAMETERS_VARIABLE] || undefined,
    inCodeBuild: Boolean(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI),
    credentialsRefreshSeconds: Number(refresh),
    ...readMultiArchBuild(env),
  };
}

function readImageMirrors(env: NodeJS.ProcessEnv): ImageMirrors | undefined {
  const ecrPublic = env.KILN_BASE_IMAGE_MIRROR?.replace(/\/+$/, '');
  const dockerHub = env.KILN_DOCKER_HUB_MIRROR?.replace(/\/+$/, '');
  if (!ecrPublic) return undefined;
  return { ecrPublic, ...(dockerHub ? { dockerHub } : {}) };
}
