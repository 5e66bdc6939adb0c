import { kilnConfigSchema } from '../../../../contract/config-schema';
import type { BuildDescription } from '../../../../contract/description';
import {
  localBuildEnvironment,
  localRepository,
  validateRegistry,
} from '../../../../lib/local/local-environment';

const description: BuildDescription = {
  kilnVersion: '0.1.0',
  name: 'My_Shop',
  config: kilnConfigSchema.parse({ remote: { region: 'eu-west-1' } }),
  git: null,
};

describe('local build environment', () => {
  it('looks like CodeBuild, with the registry, build args by name and value, and the region', () => {
    const env = localBuildEnvironment({
      sourceDir: '/tmp/src',
      description,
      registry: '127.0.0.1:5000/kiln',
      push: true,
      buildArgs: { NPM_TOKEN: 'secret-token' },
      baseEnv: { PATH: '/bin', KILN_DOCKER_NETWORK: 'host' },
    });
    expect(env).toMatchObject({
      PATH: '/bin',
      KILN_DOCKER_NETWORK: 'host',
      CODEBUILD_SRC_DIR: '/tmp/src',
      CODEBUILD_BUILD_NUMBER: '0',
      KILN_REPOSITORY_URI: '127.0.0.1:5000/kiln',
      KILN_PUSH: 'true',
      KILN_BUILD_ARG_NAMES: 'NPM_TOKEN',
      NPM_TOKEN: 'secret-token',
      KILN_REGION: 'eu-west-1',
      AWS_REGION: 'eu-west-1',
    });
    expect(env.CODEBUILD_BUILD_ID).toMatch(/^local:[0-9a-f-]{36}$/);
  });

  it('without --registry, tags into a local-only repository and never pushes', () => {
    const env = localBuildEnvironment({
      sourceDir: '/s',
      description,
      push: true,
      buildArgs: {},
      baseEnv: {},
    });
    expect(env.KILN_REPOSITORY_URI).toBe('kiln-local/my_shop');
    expect(env.KILN_PUSH).toBe('false');
    expect(localRepository(description, '127.0.0.1:5000/x')).toBe('127.0.0.1:5000/x');
  });

  it('--no-push disables pushing even with a registry', () => {
    const env = localBuildEnvironment({
      sourceDir: '/s',
      description,
      registry: '127.0.0.1:5000/kiln',
      push: false,
      buildArgs: {},
      baseEnv: {},
    });
    expect(env.KILN_PUSH).toBe('false');
  });

  it('accepts HOST[:PORT]/REPO registries only', () => {
    expect(() => validateRegistry('127.0.0.1:5000/kiln')).not.toThrow();
    expect(() => validateRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/team/kiln')).not.toThrow();
    for (const bad of ['127.0.0.1:5000', '127.0.0.1:5000/kiln:tag', 'reg/Kiln', 'reg/a b']) {
      expect(() => validateRegistry(bad)).toThrow(/is not HOST\[:PORT\]\/REPO/);
    }
  });
});
