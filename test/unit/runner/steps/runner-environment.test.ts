import { readRunnerEnvironment } from '../../../../runner/steps/runner-environment';

describe('readRunnerEnvironment', () => {
  it("reads CodeBuild's and kiln's variables", () => {
    expect(
      readRunnerEnvironment(
        {
          KILN_REPOSITORY_URI: '123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln',
          KILN_REGION: 'us-east-1',
          CODEBUILD_SRC_DIR: '/codebuild/src',
          CODEBUILD_BUILD_NUMBER: '12',
          KILN_BUILD_ARG_NAMES: 'NPM_TOKEN, GEM_TOKEN,,',
          KILN_DOCKER_IMAGE: 'ghcr.io/acme/app:1',
          AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/x',
          KILN_BUILDER: 'classic',
          KILN_INPUT_TAG: 'kiln-input-0123',
        },
        '/cwd',
      ),
    ).toEqual({
      sourceDir: '/codebuild/src',
      repositoryUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/kiln',
      region: 'us-east-1',
      buildNumber: '12',
      push: true,
      network: undefined,
      prebuiltImage: 'ghcr.io/acme/app:1',
      buildArgNames: ['NPM_TOKEN', 'GEM_TOKEN'],
      inCodeBuild: true,
      credentialsRefreshSeconds: 300,
      builder: 'classic',
      inputTag: 'kiln-input-0123',
    });
  });

  it.each(['0', '-5', '1.5', 'soon', '100000'])(
    'refuses KILN_CREDENTIALS_REFRESH_SECONDS=%s with what to set instead',
    (value) => {
      expect(() =>
        readRunnerEnvironment({ KILN_REPOSITORY_URI: 'r', KILN_CREDENTIALS_REFRESH_SECONDS: value }, '/cwd'),
      ).toThrow(
        `KILN_CREDENTIALS_REFRESH_SECONDS is "${value}", not a whole number of seconds from 1 to 99999`,
      );
    },
  );

  it('defaults to the working directory, and honours KILN_PUSH=false and KILN_DOCKER_NETWORK', () => {
    const environment = readRunnerEnvironment(
      {
        KILN_REPOSITORY_URI: 'kiln-local/app',
        KILN_PUSH: 'false',
        KILN_DOCKER_NETWORK: 'host',
        AWS_REGION: 'eu-west-1',
      },
      '/cwd',
    );
    expect(environment).toMatchObject({
      sourceDir: '/cwd',
      push: false,
      network: 'host',
      region: 'eu-west-1',
      buildArgNames: [],
      inCodeBuild: false,
    });
  });

  it('reads the pull-through caches (CodeBuild); none on a laptop', () => {
    const registry = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
    const read = (env: Record<string, string>) =>
      readRunnerEnvironment({ KILN_REPOSITORY_URI: 'r', ...env }, '/cwd').imageMirrors;
    expect(read({})).toBeUndefined();
    expect(read({ KILN_BASE_IMAGE_MIRROR: `${registry}/kiln-ecr-public/` })).toEqual({
      ecrPublic: `${registry}/kiln-ecr-public`,
    });
    expect(
      read({
        KILN_BASE_IMAGE_MIRROR: `${registry}/kiln-ecr-public`,
        KILN_DOCKER_HUB_MIRROR: `${registry}/kiln-docker-hub`,
      }),
    ).toEqual({ ecrPublic: `${registry}/kiln-ecr-public`, dockerHub: `${registry}/kiln-docker-hub` });
  });

  it('refuses a KILN_BUILDER it does not know, naming the ones it does', () => {
    expect(() => readRunnerEnvironment({ KILN_REPOSITORY_URI: 'r', KILN_BUILDER: 'kaniko' }, '/cwd')).toThrow(
      expect.objectContaining({
        message: 'KILN_BUILDER is "kaniko", which is not a builder kiln knows',
        hint: expect.stringContaining('buildx, buildkit, classic'),
      }),
    );
  });

  it('fails with a hint when the repository is not set', () => {
    expect(() => readRunnerEnvironment({}, '/cwd')).toThrow('KILN_REPOSITORY_URI is not set');
  });
});
