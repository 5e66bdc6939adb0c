// The build description: what the laptop side resolved, shipped inside the source archive at
// RESERVED_DIR/build.json so the build side never has to guess (and never re-reads user config files).
// Its schema is in description-schema.ts: the laptop side uses these names on every command, and
// importing zod with them would cost every command its start-up time (docs/benchmarks.md, startup).
import type { BuildDescription } from './description-schema';
import type { KilnVariableName } from './environment';

export type { BuildDescription };

/** kiln's own folder inside every source archive; user files at this path are refused by `pack`. */
export const RESERVED_DIR = '.kiln-build';
export const DESCRIPTION_FILE = `${RESERVED_DIR}/build.json`;
/** `.cjs` so the project's own package.json (`"type": "module"`) cannot make Node misread it. */
export const RUNNER_FILE = `${RESERVED_DIR}/runner.cjs`;
/** The runner's source map, beside it: stack traces in TypeScript terms under KILN_DEBUG. */
export const RUNNER_MAP_FILE = `${RUNNER_FILE}.map`;
/** Written by the runner; buildspec.yml sources it so CodeBuild exports the image variables. */
export const OUTPUTS_FILE = `${RESERVED_DIR}/outputs.env`;

/** CodeBuild exported variables (buildspec `env.exported-variables`), read back by the laptop side. */
export const EXPORTED_VARIABLES = [
  'KILN_IMAGE_URI',
  'KILN_IMAGE_DIGEST',
  'KILN_IMAGE_TAGS',
] as const satisfies readonly KilnVariableName[];

/**
 * Environment variable that lists the names of user build args (`kiln build --env KEY=VALUE`).
 * Each value travels as its own environment variable (a StartBuild environment override), and the
 * runner passes `--build-arg KEY` without a value, so values never appear in an archive or argv.
 */
export const BUILD_ARG_NAMES_VARIABLE = 'KILN_BUILD_ARG_NAMES' satisfies KilnVariableName;

/** The tag of the build's input key (lib/aws/built-image.ts), pushed beside the requested tags. */
export const INPUT_TAG_VARIABLE = 'KILN_INPUT_TAG' satisfies KilnVariableName;

/** Names of the build's secrets (`--secret`); each value is a variable of that name. */
export const SECRET_NAMES_VARIABLE = 'KILN_SECRET_NAMES' satisfies KilnVariableName;

/** The SSM path of a remote build's secret parameters, which the runner deletes once it has them. */
export const SECRET_PARAMETERS_VARIABLE = 'KILN_SECRET_PARAMETERS' satisfies KilnVariableName;
