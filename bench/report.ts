// The bench results as one table, for the terminal and for docs/benchmarks.md (between the
// `<!-- figures -->` markers, so the document always holds the latest run's figures).
import { readFileSync, writeFileSync } from 'node:fs';
import { isMet, type RowResult } from './result';

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1-minute load average before and after the run: other work on the machine skews timings. */
  loadAverage: { before: number; after: number };
  node: string;
  git: string;
  commit: string;
}

const HEADER = ['row', 'compared', 'figure', 'target', 'result'];
const MARKERS = { start: '<!-- figures -->', end: '<!-- /figures -->' };

function formatNumber(value: number, unit: RowResult['unit']): string {
  if (unit === 'ms') return `${value.toFixed(0)} ms`;
  if (unit === 'x') return `${value.toFixed(3)}x`;
  return String(Math.round(value));
}

function formatFigure(result: RowResult): string {
  const { figure, unit } = result;
  if (!figure) return `not measured: ${result.notMeasured}`;
  const sample = result.sample ?? 'run';
  const runs = `${figure.runs} ${sample}${figure.runs === 1 ? '' : 's'}`;
  if (figure.min === figure.max) {
    return `${formatNumber(figure.median, unit)} (${figure.runs === 1 ? runs : `all ${runs}`})`;
  }
  const stat =
    result.targetStat === 'median'
      ? ''
      : `${result.targetStat} ${formatNumber(figure[result.targetStat], unit)}; `;
  const range = `${formatNumber(figure.min, unit)}–${formatNumber(figure.max, unit)}`;
  return `${stat}median ${formatNumber(figure.median, unit)} (${range}), ${runs}`;
}

function formatTarget(result: RowResult): string {
  const bound = formatNumber(result.targetMax, result.unit);
  const stat = result.targetStat === 'median' ? '' : `${result.targetStat} `;
  return result.targetMin === result.targetMax ? `${stat}= ${bound}` : `${stat}≤ ${bound}`;
}

function tableRows(results: RowResult[]): string[][] {
  const verdict = (result: RowResult) =>
    ({ true: 'met', false: 'NOT MET', undefined: '-' })[`${isMet(result)}`];
  return results.map((r) => [r.row, r.compared, formatFigure(r), formatTarget(r), verdict(r)]);
}

function machineLine(machine: Machine): string {
  return (
    `${machine.date}, commit ${machine.commit}: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ` +
    `node ${machine.node}, ${machine.git}; load average ${machine.loadAverage.before.toFixed(1)} before, ` +
    `${machine.loadAverage.after.toFixed(1)} after`
  );
}

export function textReport(results: RowResult[], machine: Machine): string {
  const rows = tableRows(results);
  const widths = HEADER.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
  const notes = results
    .filter((r) => r.notes?.length)
    .map((r) => `\n${r.row}: ${r.compared}\n${r.notes!.map((note) => `  ${note}`).join('\n')}`);
  return [
    `\n${machineLine(machine)}\n`,
    line(HEADER),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...rows.map(line),
    ...notes,
  ].join('\n');
}

export function markdownReport(results: RowResult[], machine: Machine): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  const notes = results
    .filter((r) => r.notes?.length)
    .map(
      (r) =>
        `- **${r.row}: ${r.compared}**\n${r.notes!.map((note) => `${note.startsWith('  ') ? '    ' : '  '}- ${note.trim()}`).join('\n')}`,
    );
  return [
    `Latest run (\`npm run bench\`): ${machineLine(machine)}.`,
    '',
    line(HEADER),
    line(HEADER.map(() => '---')),
    ...tableRows(results).map(line),
    '',
    ...notes,
  ].join('\n');
}

/** Replaces what is between the figures markers of a document (left alone when it has no markers). */
export function updateDocs(path: string, markdown: string): void {
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(MARKERS.start);
  const end = text.indexOf(MARKERS.end);
  if (start < 0 || end < start) return;
  writeFileSync(path, `${text.slice(0, start + MARKERS.start.length)}\n${markdown}\n${text.slice(end)}`);
}
