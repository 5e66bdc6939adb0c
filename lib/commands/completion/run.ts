// Completion scripts rendered from commander's command tree: every command, its options (with their
// descriptions where the shell shows them) and whether it takes files or directories.
import type { Command } from 'commander';

interface OptionSpec {
  flags: string[];
  description: string;
  /** `required`: `--arch <arch>`; `optional`: `--dockerfile [path]`. */
  value?: 'required' | 'optional';
}

interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** It has positional arguments (a directory, an id): the shell may offer file names. */
  takesArguments: boolean;
}

export function completionScript(shell: 'bash' | 'zsh' | 'fish', program: Command): string {
  const commands = program.commands.map(commandSpec);
  const root = commandSpec(program);
  if (shell === 'bash') return bashScript(root, commands);
  if (shell === 'zsh') return zshScript(root, commands);
  return fishScript(commands);
}

function commandSpec(command: Command): CommandSpec {
  const help = command.createHelp();
  return {
    name: command.name(),
    description: summary(command.description()),
    options: help.visibleOptions(command).map((option) => ({
      flags: [option.short, option.long].filter((flag): flag is string => Boolean(flag)),
      description: summary(option.description),
      ...(option.required
        ? { value: 'required' as const }
        : option.optional
          ? { value: 'optional' as const }
          : {}),
    })),
    takesArguments: command.registeredArguments.length > 0,
  };
}

/** The first sentence of a description, without asides: completion menus have one short line. */
function summary(text: string): string {
  return text
    .replace(/\s*\([^)]*\)/g, '')
    .split(/(?<!\be\.g|\bi\.e)\.\s/, 1)[0]!
    .trim();
}

const single = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function bashScript(root: CommandSpec, commands: CommandSpec[]): string {
  const words = (spec: CommandSpec) => spec.options.flatMap((option) => option.flags).join(' ');
  const cases = commands
    .map((command) => `    ${command.name}) words=${single(words(command))} ;;`)
    .join('\n');
  return `# kiln completion for bash. Install: eval "$(kiln completion bash)" in ~/.bashrc
_kiln() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" command="" i words
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) command="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$command" in
${cases}
    *) words=${single([...commands.map((command) => command.name), ...words(root).split(' ')].join(' '))} ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _kiln kiln
`;
}

/** zsh _arguments specs: [ ] : and quotes in descriptions would end the spec early. */
const zshText = (text: string) => text.replace(/[[\]:'\\]/g, ' ');

function zshScript(root: CommandSpec, commands: CommandSpec[]): string {
  const optionSpecs = (spec: CommandSpec) =>
    spec.options.flatMap((option) =>
      option.flags.map(
        (flag) =>
          `'${flag}[${zshText(option.description)}]${option.value === 'required' ? ':value: ' : option.value === 'optional' ? '::value: ' : ''}'`,
      ),
    );
  const cases = commands
    .map((command) => {
      const specs = [...optionSpecs(command), ...(command.takesArguments ? ["'*:file:_files'"] : [])];
      return `    ${command.name}) _arguments ${specs.join(' ')} ;;`;
    })
    .join('\n');
  return `#compdef kiln
# kiln completion for zsh. Install: source <(kiln completion zsh) in ~/.zshrc, after compinit
_kiln() {
  local -a commands
  commands=(${commands.map((command) => `'${command.name}:${zshText(command.description)}'`).join(' ')})
  if (( CURRENT == 2 )); then
    _describe -t commands 'kiln command' commands
    _arguments ${optionSpecs(root).join(' ')}
    return
  fi
  local command=$words[2]
  shift words
  (( CURRENT-- ))
  case $command in
${cases}
  esac
}
compdef _kiln kiln
`;
}

function fishScript(commands: CommandSpec[]): string {
  const lines = [
    '# kiln completion for fish. Install: kiln completion fish > ~/.config/fish/completions/kiln.fish',
    'complete -c kiln -f',
    ...commands.map(
      (command) =>
        `complete -c kiln -n '__fish_use_subcommand' -a ${command.name} -d ${single(command.description)}`,
    ),
    "complete -c kiln -n '__fish_use_subcommand' -l version -s V -d 'output the version number'",
    ...commands.flatMap((command) => {
      const when = `-n '__fish_seen_subcommand_from ${command.name}'`;
      return [
        ...(command.takesArguments ? [`complete -c kiln ${when} -F`] : []),
        ...command.options.map((option) => {
          const flags = option.flags
            .map((flag) => (flag.startsWith('--') ? `-l ${flag.slice(2)}` : `-s ${flag.slice(1)}`))
            .join(' ');
          return `complete -c kiln ${when} ${flags}${option.value === 'required' ? ' -r' : ''} -d ${single(option.description)}`;
        }),
      ];
    }),
  ];
  return `${lines.join('\n')}\n`;
}
