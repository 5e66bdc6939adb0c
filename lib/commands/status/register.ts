import type { Command } from 'commander';
import { addRemoteOptions, type RemoteFlags } from '../remote-options';

export interface StatusFlags extends RemoteFlags {
  json?: boolean;
  dir: string;
}

export function registerStatusCommand(program: Command): void {
  const status = program
    .command('status')
    .description(
      'Show a build’s status, phase, image and failure (default: the latest build of this project)',
    )
    .argument('[id]', 'build id (`kiln:<uuid>`, or just the uuid)')
    .option('--json', 'print the status as one JSON document')
    .option('--dir <dir>', 'project directory', '.');
  addRemoteOptions(status).action(async (id: string | undefined, flags: StatusFlags) => {
    const { runStatusCommand } = require('../query-context') as typeof import('../query-context');
    process.exitCode = await runStatusCommand(id, flags);
  });
}
