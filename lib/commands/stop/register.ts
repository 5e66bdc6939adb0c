import type { Command } from 'commander';
import { addRemoteOptions } from '../remote-options';
import type { StopFlags } from './run';

export function registerStopCommand(program: Command): void {
  const stop = program
    .command('stop')
    .description('Stop a running build (default: the latest build of this project)')
    .argument('[id]', 'build id (`kiln:<uuid>`, or just the uuid)')
    .option('--dir <dir>', 'project directory', '.');
  addRemoteOptions(stop).action(async (id: string | undefined, flags: StopFlags) => {
    const { runStopCommand } = require('./run') as typeof import('./run');
    process.exitCode = await runStopCommand(id, flags);
  });
}
