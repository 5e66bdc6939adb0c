import { PassThrough } from 'node:stream';
import type { Terminal } from '../../../../lib/output/terminal';
import { createUploadProgress, progressLine } from '../../../../lib/upload/progress';

const MIB = 1024 * 1024;

function plainTerminal(): Terminal & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    colors: {} as Terminal['colors'],
    interactive: false,
    stream: new PassThrough(),
    line: (text) => lines.push(text),
  };
}

describe('upload progress', () => {
  it('formats bytes, percentage, rate and time left', () => {
    expect(progressLine({ loaded: 12 * MIB, total: 96 * MIB }, 3)).toBe(
      'kiln uploading 12 MiB of 96 MiB (12%), 4.0 MiB/s, about 21s left',
    );
    expect(progressLine({ loaded: 0, total: 96 * MIB }, 0)).toBe('kiln uploading 0 B of 96 MiB (0%), 0 B/s');
  });

  it('prints a plain line every interval when not on a terminal, then a summary', () => {
    let now = 0;
    const terminal = plainTerminal();
    const progress = createUploadProgress(terminal, { intervalMs: 5000, now: () => now });
    now = 1000;
    progress.update({ loaded: 8 * MIB, total: 40 * MIB });
    now = 5000;
    progress.update({ loaded: 16 * MIB, total: 40 * MIB });
    now = 7000;
    progress.update({ loaded: 24 * MIB, total: 40 * MIB });
    now = 10_000;
    progress.update({ loaded: 40 * MIB, total: 40 * MIB });
    progress.finish(true);
    expect(terminal.lines).toEqual([
      'kiln uploading 16 MiB of 40 MiB (40%), 3.2 MiB/s, about 7.5s left',
      'kiln uploaded 40 MiB in 10s (4.0 MiB/s)',
    ]);
  });

  it('prints no summary when the upload did not complete (skipped, failed or aborted)', () => {
    const terminal = plainTerminal();
    const progress = createUploadProgress(terminal);
    progress.finish(false);
    expect(terminal.lines).toEqual([]);
  });

  it('draws a bar with bytes, rate and ETA on a terminal', () => {
    const stream = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    });
    let output = '';
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    let now = 0;
    const progress = createUploadProgress(
      { colors: {} as Terminal['colors'], interactive: true, stream, line: () => {} },
      { now: () => now },
    );
    now = 2000;
    progress.update({ loaded: 0, total: 40 * MIB });
    progress.update({ loaded: 20 * MIB, total: 40 * MIB });
    progress.finish(false);
    expect(output).toMatch(/kiln uploading \[[█░]+\] \d+% /);
    expect(output).toContain('50% 20 MiB/40 MiB 10 MiB/s ETA 1s');
  });
});
