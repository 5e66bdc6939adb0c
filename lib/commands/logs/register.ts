import type { Command } from 'commander';
import { addRemoteOptions } from '../remote-options';
import type { LogsFlags } from './run';

export function registerLogsCommand(program: Command): void {
  const logs = program
    .command('logs')
    .description('Print a build’s log (default: the latest build of this project)')
    .argument('[id]', 'build id (`kiln:<uuid>`, or just the uuid)')
    .option('-f, --follow', 'keep printing new lines until the build ends (Ctrl-C detaches)')
    .option('--dir <dir>', 'project directory', '.');
  addRemoteOptions(logs).action(async (id: string | undefined, flags: LogsFlags) => {
    const { runLogsCommand } = require('./run') as typeof import('./run');
    process.exitCode = await runLogsCommand(id, flags);
  });
}
