// `kiln init [dir]`: writes a starter kiln.config.json for the app in dir (offline, no AWS).
import type { Command } from 'commander';
import type { InitOptions } from './run';

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('Detect the app and write a commented kiln.config.json with what differs from the defaults')
    .argument('[dir]', 'project directory', '.')
    .option('--force', 'overwrite an existing kiln.config.json')
    .action((dir: string, options: InitOptions) => {
      const { initProject } = require('./run') as typeof import('./run');
      return initProject(dir, options);
    });
}
