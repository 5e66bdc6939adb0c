import { KilnError } from '../../../runner/errors';
import { RunnerLog } from '../../../runner/log/logger';
import { Masker } from '../../../runner/log/masker';
import { reportFailure } from '../../../runner/log/report-failure';
import { StepFailedError } from '../../../runner/steps/run-step';

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

  it('masks a multi-line value whole and each of its lines as output prints them one by one', () => {
    const masker = new Masker();
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBg\n  kqhkiG9w0BAQEF\n-----END KEY-----';
    masker.add(key);
    expect(masker.mask(`key=${key}`)).toBe('key=****');
    const lines: string[] = [];
    const log = new RunnerLog(masker, (line) => lines.push(line));
    for (const line of `echo "${key}"`.split('\n')) log.output(line);
    expect(lines.join('\n')).not.toMatch(/MIIEvQIBADANBg|kqhkiG9w0BAQEF|BEGIN KEY|END KEY/);
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

  it('exits 1 on unexpected errors too', () => {
    const lines: string[] = [];
    expect(reportFailure(new RunnerLog(undefined, (line) => lines.push(line)), new Error('boom'))).toBe(1);
    expect(lines).toEqual(['[kiln] ✗ boom']);
  });
});
