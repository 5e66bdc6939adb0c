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
import { type Machine, markdownReport, textReport, updateDocs } from './report';
import { isMet, type RowResult } from './result';
import { benchReupload } from './reupload';
import { benchStartup } from './startup';
import { benchUnchanged } from './unchanged';

const ROOT = join(__dirname, '..');
// The AWS SDK warns once per process that Node 20 support ends in 2027: noise in bench output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const RESULTS_DIR = join(__dirname, 'results');
const WORK_DIR = join(__dirname, 'work');
const DOCS = join(ROOT, 'docs/benchmarks.md');

// startup goes first: spawning from this process is slower once earlier rows have grown its memory.
const ROWS: Array<{ row: string; run: () => Promise<RowResult[]> | RowResult[] }> = [
  { row: 'startup', run: () => benchStartup(ROOT) },
  { row: 'pack', run: () => benchPack(ROOT, WORK_DIR) },
  { row: 're-upload', run: () => benchReupload(ensureBenchRepository(WORK_DIR)) },
  { row: 'log latency', run: () => benchLogLatency(ROOT) },
  { row: 'unchanged re-run', run: () => benchUnchanged(ROOT) },
  { row: 'rebuild / image size', run: () => readE2eResults(RESULTS_DIR) },
];

function machine(loadBefore: number[]): Machine {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  return {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    loadAverage: { before: loadBefore[0]!, after: loadavg()[0]! },
    node: process.version,
    git: git('--version'),
    commit: git('rev-parse', '--short', 'HEAD'),
  };
}

async function main(): Promise<void> {
  // `npm run bench -- startup "unchanged re-run"`: only those rows, printed; the docs and
  // latest.json keep the last full run.
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !ROWS.some(({ row }) => row === name));
  if (unknown.length > 0)
    throw new Error(`no bench row ${unknown.join(', ')}; rows: ${ROWS.map(({ row }) => row).join(', ')}`);
  const loadBefore = loadavg();
  const results: RowResult[] = [];
  for (const { row, run } of ROWS.filter(({ row }) => only.length === 0 || only.includes(row))) {
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
  console.log(textReport(results, info));
  if (only.length > 0) return;
  updateDocs(DOCS, markdownReport(results, info));
  mkdirSync(RESULTS_DIR, { recursive: true });
  const document = {
    machine: info,
    results: results.map((r) => ({ ...r, met: isMet(r) })),
  };
  writeFileSync(join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(document, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
