import type { Command } from 'commander';
import { addRemoteOptions, type RemoteFlags } from '../remote-options';

export interface LogsFlags extends RemoteFlags {
  follow?: boolean;
  dir: string;
}

export function registerLogsCommand(program: Command): void {
  const logs = program
    .command('logs')
    .description('Print a build’s log (default: the latest build of this project)')
    .argument('[id]', 'build id (`kiln:<uuid>`, or just the uuid)')
    .option('-f, --follow', 'keep printing new lines until the build ends (Ctrl-C detaches)')
    .option('--dir <dir>', 'project directory', '.');
  addRemoteOptions(logs).action(async (id: string | undefined, flags: LogsFlags) => {
    const { runLogsCommand } = require('../query-context') as typeof import('../query-context');
    process.exitCode = await runLogsCommand(id, flags);
  });
}
