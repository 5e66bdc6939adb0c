// Old against new in one run: KILN_BENCH_BASELINE names another built kiln checkout (e.g. main, built in a
// temporary folder), and the rows that time the CLI run it interleaved with this one. On a shared
// machine only such side-by-side ratios say whether a change made kiln faster.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeMs, type RowResult, summarize } from './result';

/** The baseline checkout's root, or undefined when no comparison was asked for. */
export function baselineRoot(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const root = env.KILN_BENCH_BASELINE;
  if (!root) return undefined;
  if (!existsSync(join(root, 'bin/kiln.js')) || !existsSync(join(root, 'dist')))
    throw new Error(`KILN_BENCH_BASELINE=${root}: no built kiln there (run \`npm run build\` in it)`);
  return root;
}

/**
 * One row: this checkout's time over the baseline's, per interleaved pair (below 1: this one is faster).
 * Both series must come from the same loop, sample i of each taken back to back.
 */
export function ratioRow(
  row: string,
  compared: string,
  current: number[],
  baseline: number[],
  notes: string[] = [],
): RowResult {
  const ratios = current.map((ms, i) => ms / baseline[i]!);
  return {
    row,
    compared: `${compared}: this checkout / baseline`,
    unit: 'x',
    sample: 'pair',
    targetStat: 'median',
    targetMax: 1,
    figure: summarize(ratios),
    notes: [`this checkout ${describeMs(current)}, baseline ${describeMs(baseline)} (interleaved)`, ...notes],
  };
}
