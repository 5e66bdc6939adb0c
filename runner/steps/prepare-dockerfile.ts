// Step "prepare Dockerfile": managed mode generates Dockerfile.kiln at the project root (and a
// .dockerignore when the project has none); custom mode uses the user's file.
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { KilnConfig } from '../../contract/config-schema';
import { RESERVED_DIR } from '../../contract/description';
import { KilnError } from '../../contract/errors';
import type { BuildMode } from '../config/build-mode';
import { formatReport } from '../detect/report';
import { type GeneratedBuild, type GenerateOptions, MANAGED_DOCKERFILE } from '../generate';
import type { RunnerLog } from '../log/logger';

/** The Dockerfile generator (runner/generate.ts), injected so the runner is testable without it. */
export type DockerfileGenerator = (
  projectDir: string,
  config: KilnConfig,
  options: GenerateOptions,
) => Promise<GeneratedBuild>;

/** Returns the absolute path of the Dockerfile to build. */
export async function prepareDockerfile(
  sourceDir: string,
  config: KilnConfig,
  mode: Exclude<BuildMode, { mode: 'image' }>,
  generate: DockerfileGenerator,
  log: RunnerLog,
  options: GenerateOptions,
): Promise<string> {
  if (mode.mode === 'custom') return customDockerfile(sourceDir, mode.dockerfile);
  const generated = await generate(sourceDir, config, options);
  for (const line of formatReport(generated.report, generated.warnings).trimEnd().split('\n')) log.info(line);
  log.info(generated.credentials);
  const path = join(sourceDir, MANAGED_DOCKERFILE);
  await writeFile(path, generated.dockerfile);
  log.info(`generated ${MANAGED_DOCKERFILE}`);
  const ignorePath = join(sourceDir, '.dockerignore');
  if (!(await exists(ignorePath))) {
    await writeFile(ignorePath, generated.dockerignore);
    log.info('generated .dockerignore (the project has none)');
  }
  await excludeFromContext(ignorePath, [RESERVED_DIR, MANAGED_DOCKERFILE]);
  return path;
}

async function customDockerfile(sourceDir: string, dockerfile: string): Promise<string> {
  const path = customDockerfilePath(sourceDir, dockerfile);
  await excludeFromContext(join(sourceDir, '.dockerignore'), [RESERVED_DIR]);
  return path;
}

/** The absolute path of the project's own Dockerfile; a path leaving the project is refused. */
export function customDockerfilePath(sourceDir: string, dockerfile: string): string {
  const path = resolve(sourceDir, dockerfile);
  const inside = relative(sourceDir, path);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new KilnError(
      `the custom Dockerfile "${dockerfile}" is outside the project (dockerfile.custom)`,
      'Use a path relative to the project directory.',
    );
  }
  return path;
}

/** kiln's own files (runner, description, managed Dockerfile) have no business in the image. */
async function excludeFromContext(ignorePath: string, paths: string[]): Promise<void> {
  const current = (await exists(ignorePath)) ? await readFile(ignorePath, 'utf8') : '';
  const listed = new Set(current.split(/\r?\n/).map((line) => line.trim().replace(/^\//, '')));
  const missing = paths.filter((path) => !listed.has(path));
  if (missing.length === 0) return;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  await appendFile(ignorePath, `${separator}${missing.map((path) => `${path}\n`).join('')}`);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
