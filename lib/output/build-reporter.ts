// Human output of a followed build, on stderr: phase transitions as they happen (a spinner while
// waiting for a machine, on a terminal), the build's own log lines, and one final summary line.
import type { WriteStream } from 'node:tty';
import type { Colors } from 'picocolors/types';
import type { FollowEvent } from '../follow/follow-build';
import type { BuildOutcome } from '../follow/outcome';
import { formatDuration } from './format';
import { StatusSpinner } from './spinner';
import type { Terminal } from './terminal';
import { neutralize } from './untrusted';

/** Phases before the build machine runs anything: shown with a spinner on a terminal. */
const WAITING_PHASES: Record<string, string> = {
  SUBMITTED: 'build submitted',
  QUEUED: 'waiting for a build machine',
  PROVISIONING: 'starting the build machine',
};

export class BuildReporter {
  private readonly spinner: StatusSpinner | undefined;

  /** `logLine`: where the build's own log lines go (default: with the rest, on the terminal stream). */
  constructor(
    private readonly terminal: Terminal,
    private readonly logLine?: (text: string) => void,
  ) {
    this.spinner = terminal.interactive ? new StatusSpinner(terminal.stream as WriteStream) : undefined;
  }

  /** A kiln step ("packed 12 files"), visually distinct from the build's own log lines. */
  note(text: string): void {
    this.line(`${this.terminal.colors.dim('kiln')} ${text}`);
  }

  started(buildId: string, consoleUrl: string): void {
    this.note(`build ${this.terminal.colors.bold(buildId)}`);
    this.note(this.terminal.colors.underline(consoleUrl));
  }

  event(event: FollowEvent): void {
    const { colors } = this.terminal;
    switch (event.kind) {
      case 'phase-start': {
        this.line(colors.cyan(`▸ ${event.phase}`));
        const waiting = WAITING_PHASES[event.phase];
        if (waiting) this.spinner?.show(colors.dim(waiting));
        else this.spinner?.stop();
        return;
      }
      case 'phase-end':
        if (event.status !== 'SUCCEEDED') {
          const detail = event.message ? `: ${neutralize(event.message)}` : '';
          this.line(colors.red(`✖ ${event.phase} ${event.status}${detail}`));
        }
        return;
      case 'log':
        this.spinner?.clear();
        // The build's output is the project's: its escape sequences are shown, not obeyed.
        (this.logLine ?? this.terminal.line)(neutralize(event.line.message));
        return;
      case 'status':
        return;
    }
  }

  summary(outcome: BuildOutcome): void {
    this.spinner?.stop();
    this.line(summaryLine(outcome, this.terminal.colors));
  }

  /** Left a build running (second Ctrl-C): how to get back to it. */
  detached(buildId: string): void {
    this.spinner?.stop();
    this.note(`detached; build ${buildId} keeps running. Re-attach with: kiln logs ${buildId} --follow`);
  }

  stop(): void {
    this.spinner?.stop();
  }

  private line(text: string): void {
    this.spinner?.clear();
    this.terminal.line(text);
  }
}

/** The final line: status, duration, then the image (success) or the failed phase and why. */
export function summaryLine(outcome: BuildOutcome, colors: Colors): string {
  const took = outcome.durationSeconds !== undefined ? ` in ${formatDuration(outcome.durationSeconds)}` : '';
  if (outcome.status === 'SUCCEEDED') {
    const image = [outcome.imageUri, outcome.digest].filter(Boolean).join(' ');
    return colors.green(`✔ SUCCEEDED${took}`) + (image ? ` ${colors.bold(image)}` : '');
  }
  if (outcome.status === 'IN_PROGRESS') {
    return colors.yellow(
      `… IN_PROGRESS${outcome.durationSeconds !== undefined ? ` for ${formatDuration(outcome.durationSeconds)}` : ''}`,
    );
  }
  const failure = outcome.failedPhase;
  const why = failure
    ? `: ${failure.phase} ${failure.status}${failure.message ? ` (${failure.message})` : ''}`
    : '';
  const paint = outcome.status === 'STOPPED' ? colors.yellow : colors.red;
  return paint(`✖ ${outcome.status}${took}${why}`);
}
