// A one-line spinner on a terminal, drawn with nanospinner but animated by our own timer:
// nanospinner's start() installs a SIGINT handler that exits the process, which would break
// kiln's Ctrl-C semantics (stop the build, then detach).
import { createSpinner, type Spinner } from 'nanospinner';

const FRAME_MS = 80;

export class StatusSpinner {
  private readonly spinner: Spinner;
  private timer: NodeJS.Timeout | undefined;
  private text: () => string = () => '';

  constructor(stream: NodeJS.WriteStream) {
    this.spinner = createSpinner('', { stream });
  }

  /** `text` is read at every frame, so it may change (an elapsed time). */
  show(text: () => string): void {
    this.text = text;
    if (!this.timer) {
      this.timer = setInterval(() => this.frame(), FRAME_MS);
      this.timer.unref();
    }
    this.frame();
  }

  private frame(): void {
    this.spinner.update(this.text());
    this.spinner.spin();
  }

  /** Erases the spinner line so a regular line can be written; the next frame redraws it. */
  clear(): void {
    if (this.timer) this.spinner.clear();
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.spinner.clear();
    this.spinner.write('\x1b[?25h');
  }
}
