import { createTerminal } from '../../../../lib/output/terminal';

const stream = (isTTY: boolean, columns = 80) =>
  ({ write: () => true, isTTY, columns }) as unknown as NodeJS.WriteStream;

test('colours on a terminal', () => {
  expect(createTerminal(stream(true), {}, true).colors.red('x')).toBe('\x1b[31mx\x1b[39m');
});

test('no colours when piped or with NO_COLOR', () => {
  expect(createTerminal(stream(false), {}, true).colors.red('x')).toBe('x');
  expect(createTerminal(stream(true), { NO_COLOR: '1' }, true).colors.red('x')).toBe('x');
});

test('spinners and progress bars only when stderr and stdout are both terminals, outside CI', () => {
  expect(createTerminal(stream(true), {}, true).interactive).toBe(true);
  expect(createTerminal(stream(true), {}, false).interactive).toBe(false);
  expect(createTerminal(stream(true), { CI: 'true' }, true).interactive).toBe(false);
  expect(createTerminal(stream(false), {}, true).interactive).toBe(false);
  // A pseudo-terminal that reports no size cannot redraw lines.
  expect(createTerminal(stream(true, 0), {}, true).interactive).toBe(false);
});
