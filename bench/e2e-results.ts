// rebuild and image size: measured by the docker end-to-end suite (`npm run test:e2e`, real docker), which
// writes bench/results/e2e-*.json; this row only reads those files so they appear in the same table.
// Every numeric `ratio` field in a file is one fixture's figure; the target applies to each (the max).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type RowResult, summarize } from './result';

const ROWS = [
  { row: 'rebuild', file: 'e2e-rebuild.json', compared: 'warm rebuild / cold build (time)', targetMax: 0.2 },
  {
    row: 'image size',
    file: 'e2e-image-size.json',
    compared: 'kiln image / naive image (bytes)',
    targetMax: 0.5,
  },
];

/** Finds every `ratio` number in a JSON document, labelled by the path of keys leading to it. */
function ratios(value: unknown, path: string[] = []): Array<{ label: string; ratio: number }> {
  if (Array.isArray(value))
    return value.flatMap((item, index) => ratios(item, [...path, labelOf(item, index)]));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) =>
    key === 'ratio' && typeof child === 'number'
      ? [{ label: path.join('/'), ratio: child }]
      : ratios(child, [...path, key]),
  );
}

function labelOf(item: unknown, index: number): string {
  const named = item as { fixture?: unknown; name?: unknown } | null;
  return String(named?.fixture ?? named?.name ?? index);
}

export function readE2eResults(resultsDir: string): RowResult[] {
  return ROWS.map(({ row, file, compared, targetMax }) => {
    const base = { row, compared, unit: 'x', targetStat: 'max', targetMax } as const;
    const path = join(resultsDir, file);
    if (!existsSync(path)) {
      return {
        ...base,
        notMeasured: `no bench/results/${file} (written by \`npm run test:e2e\` on real docker)`,
      };
    }
    const found = ratios(JSON.parse(readFileSync(path, 'utf8')));
    if (found.length === 0) return { ...base, notMeasured: `bench/results/${file} holds no \`ratio\` field` };
    const written = statSync(path).mtime.toISOString();
    return {
      ...base,
      figure: summarize(found.map(({ ratio }) => ratio)),
      notes: [
        `from bench/results/${file} (e2e suite on real docker, written ${written}); range is across fixtures`,
        ...found.map(({ label, ratio }) => `  ${label || 'ratio'}: ${ratio.toFixed(3)}`),
      ],
    };
  });
}
