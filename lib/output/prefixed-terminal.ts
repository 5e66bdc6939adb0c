// One architecture's view of the shared terminal: every line starts with its label, so two builds
// followed at once stay readable when their lines interleave. Never interactive: two spinners
// redrawing one line would fight over it.
import type { Terminal } from './terminal';

export function prefixedTerminal(terminal: Terminal, label: string): Terminal {
  const prefix = terminal.colors.bold(`[${label}]`);
  return {
    ...terminal,
    interactive: false,
    line: (text) => {
      terminal.line(`${prefix} ${text}`);
    },
  };
}
