// Pre-flight: what can be known about building a project on this machine, offline, before anything is
// packed or uploaded: the directory, the build mode and its Dockerfile, detection and generation (the
// build side's own code, through runner/index.ts), the tag format, the compute type. `kiln build`
// (remote and --local), `kiln dockerfile`, `kiln init` and `kiln doctor` share it, so they refuse the
// same projects with the same message.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { KilnConfig } from '../../contract/config-schema';
import type { BuildDescription } from '../../contract/description';
import { EXIT_CODES, KilnError } from '../../contract/errors';
import {
  type BuildMode,
  buildModeFor,
  customDockerfilePath,
  formatTags,
  type GeneratedBuild,
  generateFromSnapshot,
  readProjectSnapshot,
} from '../../runner/index';

export interface ProjectCheck {
  /** The absolute project directory. */
  projectDir: string;
  mode: BuildMode;
  /** The managed Dockerfile and its detection report (exactly in managed mode). */
  generated?: GeneratedBuild;
  /** What the user should know before the build runs (the build side prints them again). */
  warnings: string[];
}

export interface CheckOptions {
  /** How the Dockerfile receives AWS credentials: a BuildKit secret or classic build args. */
  credentials?: 'secret' | 'build-args';
  /** `KILN_DOCKER_IMAGE` as the build side will see it. */
  prebuiltImage?: string | undefined;
  /** The custom Dockerfile path came from `--dockerfile PATH` (the hint then speaks of the flag). */
  dockerfileFlag?: boolean;
}

/** The project directory, resolved; anything else is refused before kiln reads a config. */
export async function projectDirectory(dir: string): Promise<string> {
  const projectDir = resolve(dir);
  const info = await stat(projectDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new KilnError(
      `${dir} is not a directory`,
      'Pass the project directory (the folder with your app), or run kiln inside it.',
    );
  }
  return projectDir;
}

/** The build mode and, in managed mode, the generated Dockerfile; throws the error the build would end with. */
export async function checkProject(
  dir: string,
  config: KilnConfig,
  options: CheckOptions = {},
): Promise<ProjectCheck> {
  const projectDir = await projectDirectory(dir);
  await refuseDirectoryAsDockerfile(projectDir, config, Boolean(options.dockerfileFlag));
  const mode = buildModeFor(config, projectDir, options.prebuiltImage);
  if (mode.mode === 'custom') customDockerfilePath(projectDir, mode.dockerfile);
  if (mode.mode !== 'managed') return { projectDir, mode, warnings: [] };
  const generated = generateFromSnapshot(await readProjectSnapshot(projectDir), config, {
    credentials: options.credentials ?? 'secret',
  });
  return { projectDir, mode, generated, warnings: generated.warnings };
}

/**
 * `kiln build --dockerfile examples/app` reads the directory as the Dockerfile's path (the flag's value
 * is optional) and would build the current directory: a directory there is always that mistake.
 */
async function refuseDirectoryAsDockerfile(
  projectDir: string,
  config: KilnConfig,
  fromFlag: boolean,
): Promise<void> {
  const custom = config.dockerfile.custom;
  if (typeof custom !== 'string') return;
  const info = await stat(resolve(projectDir, custom)).catch(() => undefined);
  if (!info?.isDirectory()) return;
  if (fromFlag) {
    throw new KilnError(
      `--dockerfile ${custom}: that is a directory, not a Dockerfile (--dockerfile takes an optional path, so the directory was read as its value)`,
      `To build that project with its own Dockerfile, name the directory first: \`kiln build ${custom} --dockerfile\`; for a Dockerfile at another path, \`--dockerfile=PATH\` (relative to the project).`,
      EXIT_CODES.usage,
    );
  }
  throw new KilnError(
    `dockerfile.custom points to ${custom}, which is a directory, not a Dockerfile`,
    'Set "custom" to the Dockerfile itself (a path relative to the project), or true for ./Dockerfile.',
  );
}

/**
 * The tags the build will push, from docker.tag / --tag: an unknown placeholder, or a format that yields
 * no tag for this project, is refused here rather than in the build. CodeBuild always has a build number.
 */
export function checkTagFormat(description: BuildDescription, buildNumber = '1'): string[] {
  return formatTags(description.config.docker.tag, {
    friendlyTag: description.name,
    timestamp: new Date(),
    gitSha: description.git?.sha,
    gitBranch: description.git?.branch,
    gitDirty: description.git?.dirty,
    buildNumber,
  });
}

/** The on-demand compute types of a CodeBuild container project (kiln's projects are containers). */
export const CONTAINER_COMPUTE_TYPES = [
  'BUILD_GENERAL1_SMALL',
  'BUILD_GENERAL1_MEDIUM',
  'BUILD_GENERAL1_LARGE',
  'BUILD_GENERAL1_XLARGE',
  'BUILD_GENERAL1_2XLARGE',
] as const;

/** `--compute` / remote.compute: a name CodeBuild would refuse minutes later is refused now. */
export function checkComputeType(config: KilnConfig, fromFlag: boolean): void {
  const compute = config.remote.compute;
  if (compute === undefined || (CONTAINER_COMPUTE_TYPES as readonly string[]).includes(compute)) return;
  throw new KilnError(
    `${fromFlag ? '--compute' : 'remote.compute'} ${compute}: not a compute type of kiln's CodeBuild projects`,
    `Use one of ${CONTAINER_COMPUTE_TYPES.join(', ')} (availability per region and architecture: the CodeBuild compute types page).`,
    fromFlag ? EXIT_CODES.usage : EXIT_CODES.localError,
  );
}
