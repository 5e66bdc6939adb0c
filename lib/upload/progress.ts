// Upload progress on stderr: a live bar (bytes, rate, ETA) on a terminal; on a pipe or in CI, a plain
// line every few seconds, so logs show the upload moving without filling up with redraws.
import { SingleBar } from 'cli-progress';
import { formatBytes, formatDuration } from '../output/format';
import type { Terminal } from '../output/terminal';
import type { UploadProgress } from './upload-archive';

export interface ProgressReporter {
  update(progress: UploadProgress): void;
  /** Stops the bar; prints the summary line when the upload completed. */
  finish(completed: boolean): void;
}

export interface ProgressOptions {
  /** Plain-line cadence when not on a terminal. */
  intervalMs?: number;
  now?: () => number;
}

export function createUploadProgress(terminal: Terminal, options: ProgressOptions = {}): ProgressReporter {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 5000;
  const started = now();
  let latest: UploadProgress = { loaded: 0, total: 0 };
  let lastLine = started;
  const bar = terminal.interactive
    ? new SingleBar({
        stream: terminal.stream,
        format: 'kiln uploading [{bar}] {percentage}% {bytes} {rate} ETA {eta_formatted}',
        barsize: 24,
        barCompleteChar: '\u2588',
        barIncompleteChar: '\u2591',
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 20,
      })
    : undefined;

  return {
    update(progress) {
      const elapsed = (now() - started) / 1000;
      const payload = {
        bytes: `${formatBytes(progress.loaded)}/${formatBytes(progress.total)}`,
        rate: `${formatBytes(rate(progress.loaded, elapsed))}/s`,
      };
      if (bar) {
        if (latest.total === 0) bar.start(progress.total, progress.loaded, payload);
        else bar.update(progress.loaded, payload);
      } else if (now() - lastLine >= intervalMs && progress.loaded < progress.total) {
        lastLine = now();
        terminal.line(progressLine(progress, elapsed));
      }
      latest = progress;
    },
    finish(completed) {
      bar?.stop();
      if (!completed) return;
      const elapsed = (now() - started) / 1000;
      terminal.line(
        `kiln uploaded ${formatBytes(latest.total)} in ${formatDuration(elapsed)} (${formatBytes(rate(latest.total, elapsed))}/s)`,
      );
    },
  };
}

/** "kiln uploading 12.0 MiB of 95 MiB (12%), 4.1 MiB/s, about 20s left" */
export function progressLine(progress: UploadProgress, elapsedSeconds: number): string {
  const bytesPerSecond = rate(progress.loaded, elapsedSeconds);
  const percent = progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 100) : 0;
  const eta =
    bytesPerSecond > 0
      ? `, about ${formatDuration((progress.total - progress.loaded) / bytesPerSecond)} left`
      : '';
  return `kiln uploading ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)} (${percent}%), ${formatBytes(bytesPerSecond)}/s${eta}`;
}

function rate(bytes: number, seconds: number): number {
  return seconds > 0 ? Math.round(bytes / seconds) : 0;
}
