// What a failed build's summary shows instead of CodeBuild's generic "Error while executing command:
// node … exit status 1": the runner's own failure line (`[kiln] ✗ step "build image" failed: …`, the
// step and why), its hint, and the build output just before it.

/** How many lines of output before the failure the summary repeats. */
const LAST_LINES = 8;
const FAILURE = /^\[kiln\] ✗ (.*)$/;
const HINT = /^\[kiln\] +hint: (.*)$/;

export interface FailureDetail {
  /** The runner's failure line, e.g. `step "build image" failed: docker build exited with code 1`. */
  reason?: string;
  hint?: string;
  /** The last lines of output before the failure (or before the end, when the runner never failed). */
  lastLines: string[];
}

/** Watches the build's log lines (already neutralised) as they are printed. */
export class FailureWatch {
  private recent: string[] = [];
  private detail: FailureDetail | undefined;

  line(text: string): void {
    const failure = FAILURE.exec(text);
    if (failure) {
      this.detail = { reason: failure[1]!, lastLines: this.recent };
      return;
    }
    const hint = HINT.exec(text);
    if (hint && this.detail && this.detail.hint === undefined) {
      this.detail.hint = hint[1]!;
      return;
    }
    if (this.detail || !text.trim()) return;
    this.recent = [...this.recent.slice(1 - LAST_LINES), text];
  }

  result(): FailureDetail {
    return this.detail ?? { lastLines: this.recent };
  }
}
