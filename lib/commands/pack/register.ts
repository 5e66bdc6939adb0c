import type { Command } from 'commander';

export function registerPackCommand(program: Command): void {
  program
    .command('pack')
    .description(
      'Pack the project into the source archive a remote build receives (see what leaves your machine)',
    )
    .argument('[dir]', 'project directory', '.')
    .option('--list', 'list the files that would be packed, with sizes, instead of packing')
    .option('-o, --output <file>', 'write the archive to this file (default: a temporary file)')
    .action(async (dir: string, options: { list?: boolean; output?: string }) => {
      // require, not import(): in this CommonJS package a dynamic import() would load ESM-style.
      const { runPackCommand } = require('./run') as typeof import('./run');
      await runPackCommand(dir, options);
    });
}
