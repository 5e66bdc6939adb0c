import type { Command } from 'commander';

export function registerPackCommand(program: Command): void {
  program.command('pack').description('(not implemented yet)');
}
