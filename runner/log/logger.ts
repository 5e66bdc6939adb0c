// The runner's log: `[kiln]` lines for steps and notices, prefixed lines for streamed tool output.
// Every line is masked before it is written.
import { stripVTControlCharacters } from 'node:util';
import { Masker } from './masker';

export type LineSink = (line: string) => void;

export class RunnerLog {
  /** The step running now (set by runStep), so a crash outside kiln's own errors still says where. */
  currentStep: string | undefined;

  constructor(
    readonly masker: Masker = new Masker(),
    private readonly sink: LineSink = (line) => process.stdout.write(`${line}\n`),
  ) {}

  info(message: string): void {
    this.sink(this.masker.mask(`[kiln] ${message}`));
  }

  /**
   * One line of a child process's output (docker), indented under the step that runs it. Terminal
   * escapes go first: they are noise in CloudWatch, and could split a secret the masker must see whole.
   */
  output(line: string): void {
    this.sink(this.masker.mask(`  │ ${stripVTControlCharacters(line)}`));
  }
}
