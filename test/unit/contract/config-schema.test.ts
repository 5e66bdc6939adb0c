import { kilnConfigSchema } from '../../../contract/config-schema';

describe('kiln config schema', () => {
  it('fills every default from an empty config', () => {
    const config = kilnConfigSchema.parse({});
    expect(config.dockerfile.addDeployUser).toBe(true);
    expect(config.dockerfile.buildArgs.enableAwsCreds).toBe(true);
    expect(config.docker.tag).toBe(':FRIENDLY_TAG-:TIMESTAMP-:GIT_SHA');
    expect(config.dockerfile.apt.packages.buildStage).toEqual([]);
  });

  it('rejects unknown keys at their path', () => {
    const result = kilnConfigSchema.safeParse({ dockerfile: { addDeployUsr: false } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: ['dockerfile'] });
  });
});
