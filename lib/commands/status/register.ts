import type { Command } from 'commander';
import { addRemoteOptions } from '../remote-options';
import type { StatusFlags } from './run';

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
    const { runStatusCommand } = require('./run') as typeof import('./run');
    process.exitCode = await runStatusCommand(id, flags);
  });
}
