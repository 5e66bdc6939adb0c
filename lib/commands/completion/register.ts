// `kiln completion bash|zsh|fish`: prints a completion script generated from commander's own tree of
// commands and options (nothing listed by hand), so it stays in step with the CLI.
import { Argument, type Command } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script (bash, zsh or fish)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(SHELLS))
    .addHelpText(
      'after',
      "\nInstall:\n  bash  echo 'eval \"$(kiln completion bash)\"' >> ~/.bashrc\n  zsh   echo 'source <(kiln completion zsh)' >> ~/.zshrc   (after compinit)\n  fish  kiln completion fish > ~/.config/fish/completions/kiln.fish",
    )
    .action((shell: (typeof SHELLS)[number], _flags: unknown, command: Command) => {
      const { completionScript } = require('./run') as typeof import('./run');
      process.stdout.write(completionScript(shell, command.parent!));
    });
}
