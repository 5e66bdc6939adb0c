import type { Command } from 'commander';
import { addRemoteOptions, type RemoteFlags } from '../remote-options';

export interface StopFlags extends RemoteFlags {
  dir: string;
}

export function registerStopCommand(program: Command): void {
  const stop = program
    .command('stop')
    .description('Stop a running build (default: the latest build of this project)')
    .argument('[id]', 'build id (`kiln:<uuid>`, or just the uuid)')
    .option('--dir <dir>', 'project directory', '.');
  addRemoteOptions(stop).action(async (id: string | undefined, flags: StopFlags) => {
    const { runStopCommand } = require('../query-context') as typeof import('../query-context');
    process.exitCode = await runStopCommand(id, flags);
  });
}
