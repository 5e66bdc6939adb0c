// `kiln dockerfile [dir]`: the managed Dockerfile for a project, offline and without AWS. The
// implementation (zod, detection, generation) loads only when the command runs.
import type { Command } from 'commander';

interface DockerfileOptions {
  explain?: boolean;
  output?: string;
}

async function printDockerfile(dir: string, options: DockerfileOptions): Promise<void> {
  // require, not import(): in this CommonJS package a dynamic import() would load ESM-style.
  const { stat, writeFile } = require('node:fs/promises') as typeof import('node:fs/promises');
  const { resolve } = require('node:path') as typeof import('node:path');
  const { KilnError } = require('../../runner/errors') as typeof import('../../runner/errors');
  const projectDir = resolve(dir);
  const info = await stat(projectDir).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new KilnError(`${dir} is not a directory`, 'Pass the project directory: kiln dockerfile [dir].');
  }
  const { loadConfig } = require('../config/load') as typeof import('../config/load');
  const { readProjectSnapshot } =
    require('../../runner/detect/snapshot') as typeof import('../../runner/detect/snapshot');
  const { generateFromSnapshot, resolveBuildMode } =
    require('../../runner/generate') as typeof import('../../runner/generate');
  const { formatReport } =
    require('../../runner/detect/report') as typeof import('../../runner/detect/report');
  const { neutralize } = require('../output/untrusted') as typeof import('../output/untrusted');

  const { config, source } = await loadConfig(projectDir);
  const snapshot = await readProjectSnapshot(projectDir);
  const mode = resolveBuildMode(config, process.env, snapshot.paths);
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
  const generated = generateFromSnapshot(snapshot, config);
  if (options.explain) {
    process.stderr.write(`config: ${source ?? 'none (defaults)'}\nmode: ${mode.reason}\n`);
    process.stderr.write(neutralize(formatReport(generated.report, generated.warnings)));
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

export function registerDockerfileCommand(program: Command): void {
  program
    .command('dockerfile')
    .description('Print the Dockerfile kiln generates for a project (offline, no AWS)')
    .argument('[dir]', 'project directory', '.')
    .option('--explain', 'print the detection report (what was decided, and from which file) to stderr')
    .option('-o, --output <file>', 'write the Dockerfile to a file instead of stdout')
    .action((dir: string, options: DockerfileOptions) => printDockerfile(dir, options));
}
