import { KilnError } from '../../../../contract/errors';
import { RunnerLog } from '../../../../runner/log/logger';
import { Masker } from '../../../../runner/log/masker';
import { reportFailure } from '../../../../runner/log/report-failure';
import { StepFailedError } from '../../../../runner/steps/run-step';

describe('Masker', () => {
  it('replaces every known secret value, longest first', () => {
    const masker = new Masker();
    masker.add('abcd', 'abcdefgh', undefined);
    expect(masker.mask('x=abcdefgh y=abcd')).toBe('x=**** y=****');
  });

  it('ignores values too short to be secrets', () => {
    const masker = new Masker();
    masker.add('1', 'on');
    expect(masker.mask('on 1')).toBe('on 1');
  });
});

describe('RunnerLog', () => {
  it('strips terminal escapes from tool output before masking, so a coloured secret is still masked', () => {
    const lines: string[] = [];
    const masker = new Masker();
    masker.add('s3cr3t-value');
    const log = new RunnerLog(masker, (line) => lines.push(line));
    log.output('\u001b[91mnpm notice\u001b[0m');
    log.output('token=s3cr3t\u001b[1m-value\u001b[0m');
    expect(lines).toEqual(['  │ npm notice', '  │ token=****']);
  });
});

describe('reportFailure', () => {
  it('prints the failed step and hint without a stack trace, and returns the exit code', () => {
    const lines: string[] = [];
    const log = new RunnerLog(undefined, (line) => lines.push(line));
    const failure = new StepFailedError(
      'build image',
      new KilnError('docker build exited with code 1', 'See above.'),
    );
    expect(reportFailure(log, failure)).toBe(1);
    expect(lines).toEqual([
      '[kiln] ✗ step "build image" failed: docker build exited with code 1',
      '[kiln]   hint: See above.',
    ]);
  });

  it("reports an error that is not kiln's own as internal, in one line naming the running step", () => {
    const lines: string[] = [];
    const log = new RunnerLog(undefined, (line) => lines.push(line));
    log.currentStep = 'push image';
    expect(reportFailure(log, new TypeError('boom\n    at x (runner.cjs:1:99999)'))).toBe(1);
    expect(lines).toEqual([
      '[kiln] ✗ internal error in step "push image": boom',
      '[kiln]   hint: Run again with KILN_DEBUG=1 (`kiln build --verbose`) for the stack trace.',
    ]);
  });

  it('prints the stack of the error and its cause with debug, masked like every line', () => {
    const lines: string[] = [];
    const masker = new Masker();
    masker.add('s3cr3t-value');
    const log = new RunnerLog(masker, (line) => lines.push(line));
    const cause = new Error('token s3cr3t-value refused');
    reportFailure(log, new StepFailedError('log in to registry', cause), { debug: true });
    expect(lines[0]).toBe('[kiln] ✗ step "log in to registry" failed: token **** refused');
    expect(lines).toContain('[kiln]   StepFailedError: step "log in to registry" failed: token **** refused');
    expect(lines).toContain('[kiln]   Error: token **** refused');
    expect(lines.some((line) => /^\[kiln\] {7}at .+log\.test\.ts:\d+:\d+\)$/.test(line))).toBe(true);
  });
});
