// `npm run bench`: runs every bench row in one process, prints one table of ratios and figures against the
// issue's targets, and writes bench/results/latest.json. Rows that cannot run say why instead of failing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { readE2eResults } from './e2e-results';
import { ensureBenchRepository } from './generate-repo';
import { benchLogLatency } from './log-latency';
import { benchPack } from './pack';
import { isMet, type RowResult } from './result';
import { benchReupload } from './reupload';
import { benchStartup } from './startup';

const ROOT = join(__dirname, '..');
// The AWS SDK warns once per process that Node 20 support ends in 2027: noise in bench output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const RESULTS_DIR = join(__dirname, 'results');
const WORK_DIR = join(__dirname, 'work');

const ROWS: Array<{ row: string; run: () => Promise<RowResult[]> | RowResult[] }> = [
  { row: 'pack', run: () => benchPack(ROOT, WORK_DIR) },
  { row: 're-upload', run: () => benchReupload(ensureBenchRepository(WORK_DIR)) },
  { row: 'startup', run: () => benchStartup(ROOT) },
  { row: 'log latency', run: () => benchLogLatency(ROOT) },
  { row: 'rebuild / image size', run: () => readE2eResults(RESULTS_DIR) },
];

function machine(loadBefore: number[]) {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    /** 1-minute load average before and after the run: other work on the machine skews timings. */
    loadAverage: { before: loadBefore[0]!, after: loadavg()[0]! },
    node: process.version,
    git: git('--version'),
    commit: git('rev-parse', '--short', 'HEAD'),
  };
}

function formatNumber(value: number, unit: RowResult['unit']): string {
  if (unit === 'ms') return `${value.toFixed(0)} ms`;
  if (unit === 'x') return `${value.toFixed(3)}x`;
  return String(Math.round(value));
}

function formatFigure(result: RowResult): string {
  const { figure, unit } = result;
  if (!figure) return `not measured: ${result.notMeasured}`;
  const runs = figure.runs === 1 ? '1 run' : `${figure.runs} runs`;
  if (figure.min === figure.max) return `${formatNumber(figure.median, unit)} (all of ${runs})`;
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

function printTable(results: RowResult[]): void {
  const verdict = (result: RowResult) =>
    ({ true: 'met', false: 'NOT MET', undefined: '-' })[`${isMet(result)}`];
  const rows = results.map((r) => [r.row, r.compared, formatFigure(r), formatTarget(r), verdict(r)]);
  const header = ['row', 'compared', 'figure', 'target', 'result'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}`);
  for (const row of rows) console.log(line(row));
  for (const result of results.filter((r) => r.notes?.length)) {
    console.log(`\n${result.row}: ${result.compared}`);
    for (const note of result.notes!) console.log(`  ${note}`);
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const results: RowResult[] = [];
  for (const { row, run } of ROWS) {
    process.stderr.write(`bench: ${row}...\n`);
    try {
      results.push(...(await run()));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      results.push({
        row,
        compared: '-',
        unit: 'x',
        targetStat: 'median',
        targetMax: 0,
        notMeasured: reason,
      });
    }
  }
  const info = machine(loadBefore);
  console.log(
    `\nmachine: ${info.cpus} × ${info.cpuModel}, ${info.memoryGiB} GiB, node ${info.node}, ${info.git}; ` +
      `load average ${info.loadAverage.before.toFixed(1)} before, ${info.loadAverage.after.toFixed(1)} after`,
  );
  printTable(results);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const document = {
    date: new Date().toISOString(),
    machine: info,
    results: results.map((r) => ({ ...r, met: isMet(r) })),
  };
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(document, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
