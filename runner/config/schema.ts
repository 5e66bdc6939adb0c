// The kiln configuration: one schema shared by the laptop side (validation of kiln.config.*),
// the build side (the resolved config travels inside the build description) and the JSON Schema
// that editors use for completion. Option names mirror the Jets option table in camelCase.
import { z } from 'zod';

const packageName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.+:~_-]*$/, 'must be a system package name');
const argName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a build-arg name ([A-Za-z_][A-Za-z0-9_]*)');

/** Build args of one position: name → default value (null declares the ARG without a default). */
const buildArgMap = z.record(argName, z.string().nullable()).default({});

const stagePackages = z
  .strictObject({
    allStages: z.array(packageName).default([]),
    buildStage: z.array(packageName).default([]),
    deploymentStage: z.array(packageName).default([]),
  })
  .prefault({});

const hookInstructions = z.union([z.string(), z.array(z.string())]);

export const FRAMEWORKS = [
  'node',
  'express',
  'nextjs',
  'nestjs',
  'node-static',
  'python',
  'django',
  'fastapi',
  'flask',
  'python-lambda',
  'ruby',
  'rails',
  'rack',
  'go',
  'jekyll',
  'hugo',
  'static',
] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const DEFAULT_TAG_FORMAT = ':FRIENDLY_TAG-:TIMESTAMP-:GIT_SHA';

export const kilnConfigSchema = z.strictObject({
  /** JSON Schema reference for editor completion (kiln.config.json); ignored by kiln. */
  $schema: z.string().optional(),
  /** Friendly name of the project: image tag prefix and build grouping. Default: the directory name. */
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'must start with a letter or digit and use only letters, digits, . _ -',
    )
    .optional(),
  /** Framework override; detection decides when absent. */
  framework: z.enum(FRAMEWORKS).optional(),
  /** Start command override (shell form); the Procfile `web:` line wins over detection too. */
  startCommand: z.string().min(1).optional(),
  /** Port the app listens on; EXPOSEd and passed as PORT. */
  port: z.number().int().min(1).max(65535).optional(),
  /** App build command override (run in the build stage after the source is copied). */
  buildCommand: z.string().min(1).optional(),

  docker: z
    .strictObject({
      /** Prebuilt image to retag and push instead of building. Also KILN_DOCKER_IMAGE. */
      image: z.string().min(1).optional(),
      /** Tag format: :FRIENDLY_TAG :TIMESTAMP :GIT_SHA :GIT_BRANCH :GIT_DIRTY :BUILD_NUMBER. */
      tag: z.string().min(1).default(DEFAULT_TAG_FORMAT),
      /** Print the docker build command (credential values masked). */
      showBuildCommand: z.boolean().default(false),
    })
    .prefault({}),

  dockerfile: z
    .strictObject({
      addDeployUser: z.boolean().default(true),
      buildArgs: z
        .strictObject({
          atTop: buildArgMap,
          buildStage: buildArgMap,
          deploymentStage: buildArgMap,
          enableAwsCreds: z.boolean().default(true),
        })
        .prefault({}),
      /** true: use ./Dockerfile; a string: that path, relative to the project. */
      custom: z.union([z.boolean(), z.string().min(1)]).default(false),
      apt: z.strictObject({ packages: stagePackages }).prefault({}),
      yum: z.strictObject({ packages: stagePackages }).prefault({}),
      autoPackages: z.boolean().default(true),
      /** Folders needed before dependency install (local path gems/packages), copied with the lockfiles. */
      copyForInstall: z.array(z.string().min(1)).default([]),
      /** Full image name (`node:20-slim`), or parts that replace the detected ones. */
      baseImage: z
        .union([
          z.string().min(1),
          z.strictObject({
            name: z.string().min(1).optional(),
            tag: z.string().min(1).optional(),
            variant: z.string().min(1).optional(),
          }),
        ])
        .optional(),
      /** Inline stage hooks (Dockerfile instructions); files in .kiln/stage/ are appended after these. */
      hooks: z
        .strictObject({
          beforeBuild: hookInstructions.optional(),
          afterBuild: hookInstructions.optional(),
          beforeDeployment: hookInstructions.optional(),
          afterDeployment: hookInstructions.optional(),
        })
        .prefault({}),
      /** Build a Lambda-compatible image. */
      lambda: z.boolean().default(false),
    })
    .prefault({}),

  /** Where and how remote builds run. Names default to the deploy-infra naming convention. */
  remote: z
    .strictObject({
      region: z.string().min(1).optional(),
      profile: z.string().min(1).optional(),
      bucket: z.string().min(3).optional(),
      project: z.string().min(1).optional(),
      repository: z.string().min(1).optional(),
      logGroup: z.string().min(1).optional(),
      arch: z.enum(ARCHITECTURES).default('x86_64'),
      /** CodeBuild compute type override, e.g. BUILD_GENERAL1_LARGE. */
      compute: z.string().min(1).optional(),
      timeoutMinutes: z.number().int().min(5).max(2160).optional(),
      /** Archive size (MiB) above which `pack` warns with the biggest directories. */
      warnArchiveMiB: z.number().positive().default(100),
      /** Archive size (MiB) above which `pack` refuses. */
      maxArchiveMiB: z.number().positive().default(500),
    })
    .prefault({}),
});

/** What users write (every key optional). */
export type KilnConfigInput = z.input<typeof kilnConfigSchema>;
/** What code reads (defaults filled in). */
export type KilnConfig = z.output<typeof kilnConfigSchema>;

/** Typed helper for kiln.config.ts / kiln.config.js. */
export function defineConfig(config: KilnConfigInput): KilnConfigInput {
  return config;
}
