// A plain-text table: a header row, then rows, columns padded to their widest cell (the last column
// is not padded, so lines carry no trailing spaces). Cell text is neutralised: it may come from AWS.
import { neutralize } from './untrusted';

export function formatTable(
  header: string[],
  rows: string[][],
  /** Per column index: paints a padded cell (colours added after padding keep the columns aligned). */
  paint: Record<number, (cell: string) => string> = {},
): string[] {
  const cells = rows.map((row) => row.map(neutralize));
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => (row[column] ?? '').length)),
  );
  const render = (row: string[], painted: boolean) =>
    row
      .map((cell, column) => {
        const padded = column === row.length - 1 ? cell : cell.padEnd(widths[column]!);
        const painter = painted ? paint[column] : undefined;
        return painter ? painter(padded) : padded;
      })
      .join('  ')
      .trimEnd();
  return [render(header, false), ...cells.map((row) => render(row, true))];
}
