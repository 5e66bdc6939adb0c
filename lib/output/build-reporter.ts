// Human output of a followed build, on stderr: one line per phase when it ends, with its duration;
// the build's own log lines; a live line with the current phase and its elapsed time on a terminal
// (a plain "still waiting" line now and then otherwise); and a final summary that names the failed
// step and repeats the output just before it.
import type { WriteStream } from 'node:tty';
import type { Colors } from 'picocolors/types';
import type { FollowEvent } from '../follow/follow-build';
import type { BuildOutcome } from '../follow/outcome';
import { type FailureDetail, FailureWatch } from './failure-summary';
import { formatDuration } from './format';
import { StatusSpinner } from './spinner';
import type { Terminal } from './terminal';
import { neutralize } from './untrusted';

/** Phases before the build machine runs anything: what the user is waiting for. */
const WAITING_PHASES: Record<string, string> = {
  SUBMITTED: 'build submitted',
  QUEUED: 'waiting for a build machine',
  PROVISIONING: 'starting the build machine',
};
/** The longest phase name (UPLOAD_ARTIFACTS): durations line up. */
const PHASE_WIDTH = 16;
/** Without a terminal, a waiting phase is reported this often (no redrawn timer in a log file). */
const WAIT_NOTE_EVERY_MS = 30_000;

export interface ReporterOptions {
  /** Where the build's own log lines go (default: with the rest, on the terminal stream). */
  logLine?: (text: string) => void;
  now?: () => number;
}

export class BuildReporter {
  private readonly spinner: StatusSpinner | undefined;
  private readonly failure = new FailureWatch();
  private readonly now: () => number;
  private current: { phase: string; since: number; noted: number } | undefined;
  private waitTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly terminal: Terminal,
    private readonly options: ReporterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
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
    switch (event.kind) {
      case 'phase-start':
        this.current = { phase: event.phase, since: this.now(), noted: this.now() };
        // COMPLETED is no phase to wait on: the summary follows once the log is drained.
        if (event.phase === 'COMPLETED') this.spinner?.stop();
        else this.spinner?.show(() => this.liveText());
        if (!this.spinner && WAITING_PHASES[event.phase]) this.startWaitNotes();
        return;
      case 'phase-end':
        this.line(phaseLine(event, this.terminal.colors));
        return;
      case 'log': {
        // The build's output is the project's: its escape sequences are shown, not obeyed.
        const text = neutralize(event.line.message);
        this.failure.line(text);
        this.spinner?.clear();
        (this.options.logLine ?? this.terminal.line)(text);
        return;
      }
      case 'notice':
        this.note(event.message);
        return;
      case 'status':
        return;
    }
  }

  /** Plain output: "still waiting" for the current waiting phase, at most every WAIT_NOTE_EVERY_MS. */
  tick(): void {
    const current = this.current;
    const waiting = current && WAITING_PHASES[current.phase];
    if (!current || !waiting || this.now() - current.noted < WAIT_NOTE_EVERY_MS) return;
    current.noted = this.now();
    this.note(`${waiting} (${current.phase}, ${formatDuration((this.now() - current.since) / 1000)})`);
  }

  summary(outcome: BuildOutcome): void {
    this.stop();
    const failed = ['FAILED', 'FAULT', 'TIMED_OUT'].includes(outcome.status);
    const detail = failed ? this.failure.result() : undefined;
    this.line(summaryLine(outcome, this.terminal.colors, detail?.reason));
    if (detail) for (const text of detailLines(detail)) this.line(text);
  }

  /** StopBuild failed (AWS unreachable, denied): the build goes on, and this says how to end it. */
  stopFailed(buildId: string, reason: string): void {
    this.note(
      `could not stop build ${buildId}: ${reason.replace(/\.$/, '')}. It keeps running and is still followed; Ctrl-C again to detach, then: kiln stop ${buildId}`,
    );
  }

  /** Left a build running (second Ctrl-C): how to get back to it. */
  detached(buildId: string): void {
    this.stop();
    this.note(`detached; build ${buildId} keeps running. Re-attach with: kiln logs ${buildId} --follow`);
  }

  stop(): void {
    this.spinner?.stop();
    clearInterval(this.waitTimer);
    this.waitTimer = undefined;
  }

  private startWaitNotes(): void {
    if (this.waitTimer) return;
    this.waitTimer = setInterval(() => this.tick(), 1000);
    this.waitTimer.unref();
  }

  private liveText(): string {
    if (!this.current) return '';
    const { phase, since } = this.current;
    const waiting = WAITING_PHASES[phase];
    const elapsed = formatDuration((this.now() - since) / 1000);
    return this.terminal.colors.dim(`${phase}${waiting ? ` ${waiting}` : ''} ${elapsed}`);
  }

  private line(text: string): void {
    this.spinner?.clear();
    this.terminal.line(text);
  }
}

/** `✓ INSTALL          2.1s` or `✖ BUILD            FAILED 12s`. */
export function phaseLine(
  event: { phase: string; status: string; seconds?: number },
  colors: Colors,
): string {
  const took = event.seconds !== undefined ? formatDuration(event.seconds) : '';
  if (event.status === 'SUCCEEDED') {
    return `${colors.green('✓')} ${event.phase.padEnd(PHASE_WIDTH)} ${colors.dim(took)}`.trimEnd();
  }
  const paint = event.status === 'STOPPED' ? colors.yellow : colors.red;
  return paint(`✖ ${event.phase.padEnd(PHASE_WIDTH)} ${event.status} ${took}`.trimEnd());
}

/**
 * The final line: status, duration, then the image (success) or what failed: the runner's own
 * reason when it gave one, else the phase and CodeBuild's message.
 */
export function summaryLine(outcome: BuildOutcome, colors: Colors, reason?: string): string {
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
  const why = reason
    ? `: ${reason}${failure ? ` (in ${failure.phase})` : ''}`
    : failure
      ? `: ${failure.phase} ${failure.status}${failure.message ? ` (${neutralize(failure.message)})` : ''}`
      : '';
  const paint = outcome.status === 'STOPPED' ? colors.yellow : colors.red;
  return paint(`✖ ${outcome.status}${took}${why}`);
}

function detailLines(detail: FailureDetail): string[] {
  return [
    ...(detail.hint ? [`  hint: ${detail.hint}`] : []),
    ...(detail.lastLines.length
      ? ['  last lines of the build log:', ...detail.lastLines.map((text) => `    ${text}`)]
      : []),
  ];
}
