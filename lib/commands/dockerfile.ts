import type { Command } from 'commander';

export function registerDockerfileCommand(program: Command): void {
  program.command('dockerfile').description('(not implemented yet)');
}
