// `kiln dockerfile [dir]`: the managed Dockerfile for a project, offline and without AWS. The
// implementation (zod, detection, generation) loads only when the command runs.
import type { Command } from 'commander';
import type { DockerfileOptions } from './run';

export function registerDockerfileCommand(program: Command): void {
  program
    .command('dockerfile')
    .description('Print the Dockerfile kiln generates for a project (offline, no AWS)')
    .argument('[dir]', 'project directory', '.')
    .option('--explain', 'print the detection report (what was decided, and from which file) to stderr')
    .option('-o, --output <file>', 'write the Dockerfile to a file instead of stdout')
    .action((dir: string, options: DockerfileOptions) => {
      // require, not import(): in this CommonJS package a dynamic import() would load ESM-style.
      const { printDockerfile } = require('./run') as typeof import('./run');
      return printDockerfile(dir, options);
    });
}
