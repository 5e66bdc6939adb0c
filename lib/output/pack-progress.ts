// Progress while a big project is packed, on stderr: one redrawn line on a terminal, a plain line
// every few seconds otherwise. A project packed within the first second shows nothing (the "packed N
// files" line follows at once).
import type { PackProgress } from '../pack/pack-project';
import { formatBytes } from './format';
import type { Terminal } from './terminal';

export interface PackProgressOptions {
  now?: () => number;
  /** Nothing is shown before this much time has passed. */
  quietMs?: number;
  /** Plain-line cadence when not on a terminal. */
  intervalMs?: number;
}

const REDRAW_MS = 100;

export function createPackProgress(terminal: Terminal, options: PackProgressOptions = {}) {
  const now = options.now ?? Date.now;
  const started = now();
  const quietMs = options.quietMs ?? 1000;
  const intervalMs = options.intervalMs ?? 5000;
  let shownAt = started;
  let drawn = false;
  return {
    update(progress: PackProgress): void {
      const at = now();
      if (at - started < quietMs) return;
      if (terminal.interactive) {
        if (drawn && at - shownAt < REDRAW_MS) return;
        terminal.stream.write(`\r\x1b[2K${packingLine(progress)}`);
        drawn = true;
      } else {
        if (at - shownAt < intervalMs) return;
        terminal.line(packingLine(progress));
      }
      shownAt = at;
    },
    /** Erases the redrawn line (the summary line replaces it). */
    finish(): void {
      if (drawn) terminal.stream.write('\r\x1b[2K');
    },
  };
}

/** "kiln packing 1200/5000 files, 45 MiB of 180 MiB (25%)" */
export function packingLine(progress: PackProgress): string {
  const percent = progress.totalBytes > 0 ? Math.floor((progress.bytes / progress.totalBytes) * 100) : 0;
  return `kiln packing ${progress.files}/${progress.totalFiles} files, ${formatBytes(progress.bytes)} of ${formatBytes(progress.totalBytes)} (${percent}%)`;
}
