// Managed Dockerfile generation for a project directory: read the files detection needs once,
// then run the pure core (detect → assemble → render). Used by the build side in CodeBuild and
// by `kiln dockerfile` on the laptop; imports nothing from lib/.
import type { KilnConfig } from '../contract/config-schema';
import { resolveBuildMode } from './config/build-mode';
import { detectApp } from './detect';
import type { DetectionReport } from './detect/report';
import { type ProjectSnapshot, readProjectSnapshot } from './detect/snapshot';
import { assemble } from './dockerfile/assemble';
import { type CredentialDelivery, describeCredentials } from './dockerfile/credentials';
import { dockerignoreFor } from './dockerfile/dockerignore';
import { collectHooks } from './dockerfile/hooks';
import { renderDockerfile } from './dockerfile/model';

export { type BuildMode, resolveBuildMode } from './config/build-mode';

export interface GeneratedBuild {
  dockerfile: string;
  dockerignore: string;
  /** What detection decided and why; printed so the build log explains the Dockerfile. */
  report: DetectionReport;
  warnings: string[];
  /** Where the AWS credentials are available in this Dockerfile (for --explain and the build log). */
  credentials: string;
}

/** BuildKit (CodeBuild's builder) takes the credentials as a secret, the classic builder as args. */
export interface GenerateOptions {
  credentials: CredentialDelivery;
}

const DEFAULT_OPTIONS: GenerateOptions = { credentials: 'secret' };

/**
 * At the context root and listed in .dockerignore: the classic builder then reads it but drops it
 * from the context (a Dockerfile inside an excluded folder would leave that folder in the image).
 */
export const MANAGED_DOCKERFILE = 'Dockerfile.kiln';

/** The pure core: the same snapshot and config always give the same Dockerfile. */
export function generateFromSnapshot(
  snapshot: ProjectSnapshot,
  config: KilnConfig,
  options: GenerateOptions = DEFAULT_OPTIONS,
): GeneratedBuild {
  const hooks = collectHooks(snapshot, config);
  const detection = detectApp(snapshot, config);
  const assembled = assemble(detection.plan, config, hooks, options.credentials);
  const warnings = [...snapshot.warnings, ...detection.warnings, ...assembled.warnings];
  if (snapshot.paths.has(MANAGED_DOCKERFILE)) {
    warnings.push(
      `the project has a file named ${MANAGED_DOCKERFILE}, which the generated Dockerfile replaces in the build; rename it (or set "dockerfile": { "custom": "${MANAGED_DOCKERFILE}" } to build with it)`,
    );
  }
  if (snapshot.paths.has('Dockerfile') && resolveBuildMode(config, {}, snapshot.paths).mode === 'managed') {
    warnings.push(
      'the project has a Dockerfile, which kiln ignores; set "dockerfile": { "custom": true } to build with it',
    );
  }
  return {
    dockerfile: renderDockerfile(assembled.model),
    dockerignore: dockerignoreFor(detection.plan, snapshot.contents.get('.dockerignore')),
    report: { ...detection.report, packages: assembled.packages },
    warnings,
    credentials: describeCredentials(
      config.dockerfile.buildArgs.enableAwsCreds ? options.credentials : null,
      config.dockerfile.buildArgs.awsCredsForInstall,
    ),
  };
}

/** Managed mode only: check resolveBuildMode first. Throws KilnError for projects it cannot handle. */
export async function generateForDirectory(
  dir: string,
  config: KilnConfig,
  options: GenerateOptions = DEFAULT_OPTIONS,
): Promise<GeneratedBuild> {
  return generateFromSnapshot(await readProjectSnapshot(dir), config, options);
}
