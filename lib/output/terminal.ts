// Where human output goes (stderr, so stdout stays clean for --json and pipes) and how it looks:
// colours only on a terminal and never with NO_COLOR; animations only when both streams are terminals.
import pc from 'picocolors';
import type { Colors } from 'picocolors/types';

export interface Terminal {
  colors: Colors;
  /** Spinners and progress bars may redraw lines. */
  interactive: boolean;
  stream: NodeJS.WritableStream;
  line(text: string): void;
}

export function createTerminal(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
  stdoutIsTTY = Boolean(process.stdout.isTTY),
): Terminal {
  const tty = Boolean(stream.isTTY) && env.TERM !== 'dumb';
  const colors = pc.createColors(!('NO_COLOR' in env) && (tty || 'FORCE_COLOR' in env));
  return {
    colors,
    // A pseudo-terminal without a size (columns 0) breaks line-redrawing: nanospinner loops forever.
    interactive: tty && stdoutIsTTY && !('CI' in env) && (stream.columns ?? 0) > 0,
    stream,
    line: (text) => {
      stream.write(`${text}\n`);
    },
  };
}
