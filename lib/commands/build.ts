import type { Command } from 'commander';

/** Registers `build`, `logs`, `status`, `builds` and `stop`. */
export function registerBuildCommands(program: Command): void {
  program.command('build').description('(not implemented yet)');
}
