// The kiln configuration: one schema shared by the laptop side (validation of kiln.config.*),
// the build side (the resolved config travels inside the build description) and the JSON Schema
// that editors use for completion. Option names mirror the Jets option table in camelCase.
import { z } from 'zod';
import { ARCHITECTURES, architecturesOf } from './architectures';

// Part of `kiln/config` and of every Architecture-typed import; defined without zod (architectures.ts).
export { ARCHITECTURES, type Architecture, architecturesOf, primaryArchitecture } from './architectures';

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

export const DEFAULT_TAG_FORMAT = ':FRIENDLY_TAG-:TIMESTAMP-:GIT_SHA';

// Descriptions travel into the JSON Schema (schema/kiln.config.schema.json), so editors show them;
// docs/config.md is the full reference.
export const kilnConfigSchema = z.strictObject({
  $schema: z.string().optional().describe('JSON Schema reference for editor completion; ignored by kiln.'),
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
      'must start with a letter or digit and use only letters, digits, . _ -',
    )
    .optional()
    .describe(
      'Friendly name of the project: image tag prefix and build grouping. Default: the directory name.',
    ),
  framework: z.enum(FRAMEWORKS).optional().describe('Framework override; detection decides when absent.'),
  startCommand: z
    .string()
    .min(1)
    .optional()
    .describe('Start command (shell form). Wins over the Procfile `web:` line, which wins over detection.'),
  port: z
    .number()
    .int()
    .min(1)
    .max(65535)
    .optional()
    .describe('Port the app listens on; EXPOSEd and passed as PORT.'),
  buildCommand: z
    .string()
    .min(1)
    .optional()
    .describe('App build command, run in the build stage after the source is copied.'),
  workspace: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Monorepo root: the folder of the workspace app to build (e.g. apps/web). Default: the only app.',
    ),

  docker: z
    .strictObject({
      image: z
        .string()
        .min(1)
        .optional()
        .describe('Prebuilt image to retag and push instead of building. KILN_DOCKER_IMAGE overrides it.'),
      tag: z
        .string()
        .min(1)
        .default(DEFAULT_TAG_FORMAT)
        .describe('Tag format: :FRIENDLY_TAG :TIMESTAMP :GIT_SHA :GIT_BRANCH :GIT_DIRTY :BUILD_NUMBER.'),
      showBuildCommand: z
        .boolean()
        .default(false)
        .describe('Print the docker build command (credential values masked).'),
    })
    .prefault({}),

  dockerfile: z
    .strictObject({
      addDeployUser: z
        .boolean()
        .default(true)
        .describe('Run as a non-root deploy user that owns only the directories the app writes.'),
      buildArgs: z
        .strictObject({
          atTop: buildArgMap.describe('ARGs before the first FROM (name → default, null for none).'),
          buildStage: buildArgMap.describe('ARGs in the build stage.'),
          deploymentStage: buildArgMap.describe('ARGs in the deployment stage.'),
          enableAwsCreds: z
            .boolean()
            .default(true)
            .describe(
              "Give the build stage's RUN steps the CodeBuild role's AWS credentials (never the deployment stage).",
            ),
          awsCredsForInstall: z
            .boolean()
            .default(false)
            .describe(
              'Also give them to the dependency install (private registries). Classic builder: the install then reruns on every build.',
            ),
        })
        .prefault({}),
      secrets: z
        .array(
          z
            .string()
            .regex(
              /^[A-Za-z_][A-Za-z0-9_]*$/,
              'a secret name uses letters, digits and _ and starts with no digit',
            ),
        )
        .default([])
        .describe(
          'Names of secrets (like `kiln build --secret NAME`): each value comes from the environment of `kiln build`, reaches RUN steps as a BuildKit secret (/run/secrets/NAME) or a late build arg on the classic builder, and never lands in the archive, a log or the image.',
        ),
      custom: z
        .union([z.boolean(), z.string().min(1)])
        .default(false)
        .describe("The project's own Dockerfile: true for ./Dockerfile, or a path relative to the project."),
      apt: z
        .strictObject({ packages: stagePackages })
        .prefault({})
        .describe('Debian packages (apt) per stage.'),
      yum: z
        .strictObject({ packages: stagePackages })
        .prefault({})
        .describe('Amazon Linux packages (yum/dnf/microdnf) per stage, for Lambda base images.'),
      autoPackages: z
        .boolean()
        .default(true)
        .describe('Add the system packages known dependencies need (pg → libpq, ...).'),
      copyForInstall: z
        .array(z.string().min(1))
        .default([])
        .describe(
          'Folders needed before dependency install (local path gems/packages), copied with the lockfiles.',
        ),
      baseImage: z
        .union([
          z.string().min(1),
          z.strictObject({
            name: z.string().min(1).optional(),
            tag: z.string().min(1).optional(),
            variant: z.string().min(1).optional(),
          }),
        ])
        .optional()
        .describe(
          'Full image name (`node:22-bookworm-slim`), or name/tag/variant parts that replace the detected ones.',
        ),
      hooks: z
        .strictObject({
          beforeBuild: hookInstructions.optional(),
          afterBuild: hookInstructions.optional(),
          beforeDeployment: hookInstructions.optional(),
          afterDeployment: hookInstructions.optional(),
        })
        .prefault({})
        .describe(
          'Inline stage hooks (Dockerfile instructions); files in .kiln/stage/ are inserted after these.',
        ),
      lambda: z.boolean().default(false).describe('Build a Lambda-compatible image.'),
      awsCli: z
        .boolean()
        .default(false)
        .describe(
          'Install the AWS CLI v2 in the build stage (never the deployment stage), for hooks and build steps that call `aws`.',
        ),
      forceRubyPlatform: z
        .boolean()
        .default(false)
        .describe('Bundler compiles every gem from source instead of using precompiled platform gems.'),
      bootsnapCommand: z
        .union([z.string().min(1), z.literal(false)])
        .optional()
        .describe(
          'Rails: the bootsnap precompile command run after the source is copied (default `bundle exec bootsnap precompile app/ lib/`); false skips bootsnap precompilation.',
        ),
    })
    .prefault({}),

  remote: z
    .strictObject({
      region: z.string().min(1).optional(),
      profile: z.string().min(1).optional(),
      bucket: z.string().min(3).optional(),
      project: z.string().min(1).optional(),
      repository: z.string().min(1).optional(),
      logGroup: z.string().min(1).optional(),
      arch: z
        .union([z.enum(ARCHITECTURES), z.array(z.enum(ARCHITECTURES)).min(1)])
        .default('x86_64')
        // One architecture stays a string; several become one build each plus an image index.
        .transform((arch) => {
          const list = architecturesOf(arch);
          return list.length === 1 ? list[0]! : list;
        })
        .describe(
          'CPU architecture of the image, or a list (["x86_64", "arm64"]): one build per architecture, merged into a multi-platform image index.',
        ),
      compute: z
        .string()
        .min(1)
        .optional()
        .describe('CodeBuild compute type override, e.g. BUILD_GENERAL1_LARGE.'),
      timeoutMinutes: z.number().int().min(5).max(2160).optional(),
      warnArchiveMiB: z
        .number()
        .positive()
        .default(100)
        .describe('Archive size (MiB) above which `pack` warns with the biggest directories.'),
      maxArchiveMiB: z
        .number()
        .positive()
        .default(500)
        .describe('Archive size (MiB) above which `pack` refuses.'),
    })
    .prefault({})
    .describe('Where and how remote builds run. Names default to the deploy-infra naming convention.'),
});

/** What users write (every key optional). */
export type KilnConfigInput = z.input<typeof kilnConfigSchema>;
/** What code reads (defaults filled in). */
export type KilnConfig = z.output<typeof kilnConfigSchema>;

/** Typed helper for kiln.config.ts / kiln.config.js. */
export function defineConfig(config: KilnConfigInput): KilnConfigInput {
  return config;
}
