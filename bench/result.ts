// What every bench row reports, and the statistics shared by the rows.

/** min/median/max (and tail percentiles) over several runs of one measurement. */
export interface Summary {
  runs: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

export interface RowResult {
  row: string;
  /** What is compared with what, e.g. "kiln pack / git archive (time)". */
  compared: string;
  unit: 'x' | 'ms' | 'bytes' | 'requests';
  /** Absent when the row could not be measured; `notMeasured` says why. */
  figure?: Summary;
  /** What one sample of the figure is (default "run"): "pair", "line", "fixture"… */
  sample?: string;
  /** The figure the target applies to (the median unless a row says otherwise, e.g. p95). */
  targetStat: 'median' | 'p95' | 'max';
  /** Met when the target statistic is at most this (and at least `targetMin`, when set). */
  targetMax: number;
  targetMin?: number;
  notMeasured?: string;
  /** Context printed under the table: baselines, counts, absolute times, sources. */
  notes?: string[];
}

export function summarize(samples: number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1 ? sorted[Math.floor(middle)]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { runs: sorted.length, min: sorted[0]!, median, p95: at(0.95), max: sorted.at(-1)! };
}

/** "median ms (min–max)", for the notes. */
export function describeMs(samples: number[]): string {
  const { median, min, max } = summarize(samples);
  return `${median.toFixed(0)} ms (${min.toFixed(0)}–${max.toFixed(0)})`;
}

export function isMet(result: RowResult): boolean | undefined {
  if (!result.figure) return undefined;
  const value = result.figure[result.targetStat];
  return value <= result.targetMax && (result.targetMin === undefined || value >= result.targetMin);
}

/** Milliseconds since an arbitrary origin, monotonic. */
export function nowMs(): number {
  return performance.now();
}
