// Every KILN_* environment variable in one table: who sets it, who reads it, what it means.
// The constants elsewhere (description.ts, infra-names.ts, the runner) are typed against this table,
// and test/unit/contract/environment.test.ts fails when the code uses a KILN_* name missing here.

export interface KilnVariable {
  setBy: string;
  readBy: string;
  meaning: string;
}

export const KILN_VARIABLES = {
  KILN_HTTP_TIMEOUT_SECONDS: {
    setBy: 'the user (slow links) and tests',
    readBy: 'kiln’s AWS clients (lib/aws/clients.ts)',
    meaning: 'seconds an AWS request may sit without an answer before it fails (default 60)',
  },
  KILN_REPOSITORY_URI: {
    setBy:
      'the CDK stack (CodeBuild project environment); kiln build (remote.repository override); kiln build --local',
    readBy: 'runner (runner/steps/runner-environment.ts)',
    meaning: 'the repository the image is tagged into and pushed to',
  },
  KILN_REGION: {
    setBy: 'the CDK stack; kiln build --local',
    readBy: 'runner (ECR login region)',
    meaning: 'region of the stack and its ECR repository',
  },
  KILN_BASE_IMAGE_MIRROR: {
    setBy: 'the CDK stack (CodeBuild project environment); the e2e suite (a local registry)',
    readBy: 'runner (runner/ecr/base-image-mirror.ts)',
    meaning:
      '`<registry>/<prefix>` of the pull-through cache of ECR Public: every FROM and the BuildKit builder image are pulled through it',
  },
  KILN_DOCKER_HUB_MIRROR: {
    setBy: 'the CDK stack (CodeBuild project environment), only with kiln:dockerHubCredentialArn',
    readBy: 'runner (runner/ecr/base-image-mirror.ts)',
    meaning:
      '`<registry>/<prefix>` of the pull-through cache of Docker Hub: images outside Docker’s official library (`oven/bun`, `docker/dockerfile`) are pulled through it',
  },
  KILN_PROJECT_NAME: {
    setBy: 'kiln build (StartBuild environment override)',
    readBy: 'kiln logs/status/builds/stop (finds a project’s builds)',
    meaning: 'the friendly project name (config `name`, default the directory name)',
  },
  KILN_BUILD_ARG_NAMES: {
    setBy: 'kiln build (StartBuild override); kiln build --local',
    readBy: 'runner (passes --build-arg NAME without a value)',
    meaning: 'comma-separated names of `--env` build args; each value is its own variable',
  },
  KILN_SECRET_NAMES: {
    setBy: 'kiln build (StartBuild override); kiln build --local',
    readBy: 'runner (BuildKit secrets, or late build args on the classic builder)',
    meaning:
      'comma-separated names of `--secret` values; each value is a variable of that name (remote: a PARAMETER_STORE variable)',
  },
  KILN_SECRET_PARAMETERS: {
    setBy: 'kiln build (StartBuild override), with --secret',
    readBy: 'runner (deletes the parameters under it as soon as it starts)',
    meaning: 'the SSM Parameter Store path `/kiln/secrets/<uuid>/` holding this build’s secrets',
  },
  KILN_CREDENTIALS_REFRESH_SECONDS: {
    setBy: 'the user (rarely) and tests',
    readBy: 'runner (runner/credentials/credentials-refresh.ts)',
    meaning:
      'how often, in seconds, the BuildKit AWS credentials file is renewed while the image builds (default 300), so steps that start after the role’s credentials expired get current ones',
  },
  KILN_PUSH: {
    setBy: 'kiln build --local (`false` without --registry or with --no-push)',
    readBy: 'runner',
    meaning: '`false` builds and tags only',
  },
  KILN_DOCKER_NETWORK: {
    setBy: 'the user or the e2e suite, for kiln build --local',
    readBy: 'runner (docker build --network)',
    meaning: 'network mode for the image build’s RUN instructions, e.g. `host`',
  },
  KILN_DOCKER_IMAGE: {
    setBy: 'the user (environment of kiln build / kiln dockerfile, or of the CodeBuild project)',
    readBy: 'runner and kiln dockerfile (runner/config/build-mode.ts)',
    meaning: 'a prebuilt image to retag and push; wins over config docker.image',
  },
  KILN_BUILDER: {
    setBy:
      'the user (CodeBuild project environment, or the environment of kiln build --local); the e2e suite',
    readBy: 'runner (runner/steps/runner-environment.ts)',
    meaning:
      '`buildx`, `buildkit` or `classic`: the builder to use instead of the best one the engine offers',
  },
  KILN_INPUT_TAG: {
    setBy: 'kiln build (StartBuild environment override)',
    readBy: 'runner (pushes it beside the requested tags)',
    meaning:
      'the tag of the build’s input key, which an unchanged re-run finds in ECR (lib/aws/built-image.ts)',
  },
  KILN_ARCH: {
    setBy: 'kiln build with several architectures (StartBuild environment override)',
    readBy: 'runner (cache ref and tag suffix of this build’s architecture)',
    meaning:
      'the architecture this build runs on, when the archive asks for several (contract/multi-arch.ts)',
  },
  KILN_INDEX_TAGS: {
    setBy: 'kiln build with several architectures (StartBuild environment override)',
    readBy: 'runner (each tag gets the -<arch> suffix; the image index gets the tags themselves)',
    meaning: 'the requested tags, formatted once on the laptop so every architecture agrees on them',
  },
  KILN_INDEX_MEMBERS: {
    setBy: 'kiln build with several architectures (StartBuild environment override)',
    readBy: 'runner (the last build to finish finds every member and publishes the image index)',
    meaning: '`<arch>=<input tag>` pairs, comma-separated: where each architecture’s image is found',
  },
  KILN_INDEX_INPUT_TAG: {
    setBy: 'kiln build with several architectures (StartBuild environment override)',
    readBy: 'runner (pushes the image index under it too); kiln build (an unchanged re-run finds the index)',
    meaning: 'the input key tag of the image index (archive, all architectures, build args)',
  },
  KILN_IMAGE_URI: {
    setBy: 'runner (.kiln-build/outputs.env, exported by buildspec.yml)',
    readBy: 'kiln build / status / builds (CodeBuild exported variables); kiln build --local',
    meaning: 'the pushed image, `<repository>:<first tag>`',
  },
  KILN_IMAGE_DIGEST: {
    setBy: 'runner (outputs.env, exported by buildspec.yml)',
    readBy: 'kiln build / status / builds; kiln build --local',
    meaning: 'the pushed image’s digest',
  },
  KILN_IMAGE_TAGS: {
    setBy: 'runner (outputs.env, exported by buildspec.yml)',
    readBy: 'kiln build / status / builds; kiln build --local',
    meaning: 'every tag pushed, comma-separated',
  },
  KILN_DEBUG: {
    setBy: 'the user; kiln build --verbose (StartBuild override)',
    readBy: 'lib/cli.ts; runner (runner/main.ts)',
    meaning: 'print the stack trace of an unexpected error (the runner maps it through its source map)',
  },
  KILN_S3_FORCE_PATH_STYLE: {
    setBy: 'the user or tests (S3-compatible endpoints)',
    readBy: 'lib/aws/clients.ts',
    meaning: '`1` uses path-style S3 URLs',
  },
  KILN_CLI_UNDER_TEST: {
    setBy: 'scripts/hostile/replay.sh (a developer)',
    readBy: 'test/integration/cli/run-cli.ts',
    meaning: 'the root of another built kiln whose CLI the integration tests run (default: this checkout)',
  },
  KILN_UPDATE_GOLDEN: {
    setBy: 'a developer',
    readBy: 'test/unit (golden Dockerfiles)',
    meaning: '`1` rewrites the golden files instead of comparing',
  },
  KILN_E2E_REGISTRY: {
    setBy: 'scripts/e2e/up.sh (.e2e/env)',
    readBy: 'test/e2e',
    meaning: 'the local registry the end-to-end suite pushes to',
  },
  KILN_E2E_DATA: {
    setBy: 'a developer (optional)',
    readBy: 'scripts/e2e/up.sh',
    meaning: 'docker data-root of the end-to-end engine (default /var/lib/kiln-e2e)',
  },
  KILN_E2E_CACHE: {
    setBy: 'a developer (optional)',
    readBy: 'scripts/e2e/up.sh',
    meaning: 'where up.sh keeps its debootstrap tarballs (default /var/cache/kiln-e2e)',
  },
} as const satisfies Record<`KILN_${string}`, KilnVariable>;

export type KilnVariableName = keyof typeof KILN_VARIABLES;
