// `kiln build --local`: the very archive a remote build would upload, unpacked into a temporary
// directory, built by the commands of kiln's buildspec.yml against the local docker daemon.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type BuildDescription, OUTPUTS_FILE } from '../../contract/description';
import { KilnError } from '../../contract/errors';
import { parseOutputsEnv, RunnerLog } from '../../runner/index';
import { packProject } from '../pack/pack-project';
import { readBuildspec } from './buildspec';
import { extractArchive } from './extract-archive';
import { localBuildEnvironment, validateRegistry } from './local-environment';
import { runPhases } from './run-phases';

export interface LocalBuildOptions {
  projectDir: string;
  description: BuildDescription;
  /** `HOST[:PORT]/REPO` to push to; without it the image is only built and tagged locally. */
  registry?: string;
  push: boolean;
  /** User build args (`--env KEY=VALUE`); values travel in the environment, never argv. */
  buildArgs: Record<string, string>;
  /** `--secret` values by name; like build args they travel in the environment, never argv. */
  secrets: Record<string, string>;
  /** Keep stdout for the caller's JSON document: build output goes to stderr. */
  json: boolean;
  signal?: AbortSignal;
}

export interface LocalBuildResult {
  imageUri: string;
  digest?: string;
  tags: string[];
}

export async function runLocalBuild(options: LocalBuildOptions): Promise<LocalBuildResult> {
  if (options.registry !== undefined) validateRegistry(options.registry);
  const log = new RunnerLog(undefined, (line) =>
    (options.json ? process.stderr : process.stdout).write(`${line}\n`),
  );
  if (options.push && options.registry === undefined) {
    log.info('notice: no --registry given: the image is built and tagged locally, not pushed');
  }
  const buildspec = await readBuildspec(findBuildspec());
  const archive = await packProject({ projectDir: options.projectDir, description: options.description });
  const sourceDir = await mkdtemp(join(tmpdir(), 'kiln-local-'));
  try {
    await extractArchive(archive.path, sourceDir).finally(() => rm(archive.path, { force: true }));
    log.info(`running buildspec.yml in ${sourceDir} against the local docker daemon`);
    await runPhases(buildspec, {
      cwd: sourceDir,
      // As in CodeBuild, the buildspec's own variables yield to the build's environment.
      env: {
        ...buildspec.variables,
        ...localBuildEnvironment({ ...options, sourceDir, baseEnv: process.env }),
      },
      stdoutFd: options.json ? 2 : 1,
      signal: options.signal,
    });
    const outputs = parseOutputsEnv(await readFile(join(sourceDir, OUTPUTS_FILE), 'utf8'));
    return {
      imageUri: outputs.KILN_IMAGE_URI ?? '',
      digest: outputs.KILN_IMAGE_DIGEST || undefined,
      tags: (outputs.KILN_IMAGE_TAGS ?? '').split(',').filter((tag) => tag !== ''),
    };
  } finally {
    await rm(sourceDir, { recursive: true, force: true });
  }
}

/** kiln's own buildspec.yml, at the package root (above lib/ in the sources, dist/lib/ when built). */
function findBuildspec(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'buildspec.yml');
    if (existsSync(candidate)) return candidate;
  }
  throw new KilnError('buildspec.yml was not found next to the kiln installation', 'Reinstall kiln.');
}
