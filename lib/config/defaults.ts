// The config a project without a kiln.config file gets: the schema's defaults, spelled out so
// `kiln dockerfile` on such a project does not load zod at all (its import is most of the
// command's startup time). A unit test keeps this equal to kilnConfigSchema.parse({}).
import type { KilnConfig } from '../../contract/config-schema';

const DEFAULTS: KilnConfig = {
  docker: { tag: ':FRIENDLY_TAG-:TIMESTAMP-:GIT_SHA', showBuildCommand: false },
  dockerfile: {
    addDeployUser: true,
    buildArgs: {
      atTop: {},
      buildStage: {},
      deploymentStage: {},
      enableAwsCreds: true,
      awsCredsForInstall: false,
    },
    secrets: [],
    custom: false,
    apt: { packages: { allStages: [], buildStage: [], deploymentStage: [] } },
    yum: { packages: { allStages: [], buildStage: [], deploymentStage: [] } },
    autoPackages: true,
    copyForInstall: [],
    hooks: {},
    lambda: false,
    awsCli: false,
    forceRubyPlatform: false,
  },
  remote: { arch: 'x86_64', warnArchiveMiB: 100, maxArchiveMiB: 500 },
};

export function defaultConfig(): KilnConfig {
  return structuredClone(DEFAULTS);
}
