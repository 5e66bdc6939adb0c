import { type Command, InvalidArgumentError } from 'commander';
import { addRemoteOptions } from '../remote-options';
import type { BuildsFlags } from './run';

export function registerBuildsCommand(program: Command): void {
  const builds = program
    .command('builds')
    .description('List this project’s recent builds, newest first')
    .option('--limit <n>', 'how many builds (1-100)', parseLimit, 10)
    .option('--json', 'print the list as one JSON document')
    .option('--dir <dir>', 'project directory', '.');
  addRemoteOptions(builds).action(async (flags: BuildsFlags) => {
    const { runBuildsCommand } = require('./run') as typeof import('./run');
    process.exitCode = await runBuildsCommand(flags);
  });
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    throw new InvalidArgumentError('expected a whole number between 1 and 100.');
  }
  return limit;
}
