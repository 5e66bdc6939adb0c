// `kiln dockerfile [dir]` at work: the managed Dockerfile for a project, offline and without AWS
// (zod, detection and generation load only when the command runs).
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatReport } from '../../../runner/index';
import { loadConfig } from '../../config/load';
import { neutralize } from '../../output/untrusted';
import { checkProject, projectDirectory } from '../../preflight/check-project';

export interface DockerfileOptions {
  explain?: boolean;
  output?: string;
  builder: 'buildkit' | 'classic';
}

export async function printDockerfile(dir: string, options: DockerfileOptions): Promise<void> {
  const { config, source } = await loadConfig(await projectDirectory(dir));
  const { mode, generated } = await checkProject(dir, config, {
    credentials: options.builder === 'classic' ? 'build-args' : 'secret',
    prebuiltImage: process.env.KILN_DOCKER_IMAGE,
  });
  if (mode.mode === 'custom') {
    process.stderr.write(
      `kiln: this project brings its own Dockerfile (${mode.dockerfile}, set by dockerfile.custom); kiln builds it as is and generates nothing.\n`,
    );
    return;
  }
  if (mode.mode === 'image') {
    process.stderr.write(
      `kiln: this project uses a prebuilt image (${mode.image}, ${mode.reason}); there is no Dockerfile to generate.\n`,
    );
    return;
  }
  if (!generated) return;
  if (options.explain) {
    process.stderr.write(`config: ${source ?? 'none (defaults)'}\nmode: ${mode.reason}\n`);
    process.stderr.write(neutralize(formatReport(generated.report, generated.warnings)));
    process.stderr.write(`${generated.credentials}\n`);
  } else {
    for (const warning of generated.warnings) process.stderr.write(`kiln: warning: ${neutralize(warning)}\n`);
  }
  if (options.output) {
    await writeFile(resolve(options.output), generated.dockerfile);
    process.stderr.write(`kiln: wrote ${options.output}\n`);
  } else {
    process.stdout.write(generated.dockerfile);
  }
}
