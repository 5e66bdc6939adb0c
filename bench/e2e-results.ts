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

interface Found {
  label: string;
  ratio: number;
  /** The other numbers next to the ratio (e.g. cold and warm seconds, both sizes). */
  details: string;
}

/** Finds every `ratio` number in a JSON document, labelled by its `fixture` field or its path of keys. */
function ratios(value: unknown, path: string[] = []): Found[] {
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const here: Found[] =
    typeof record.ratio === 'number'
      ? [
          {
            label: typeof record.fixture === 'string' ? record.fixture : path.join('/') || 'ratio',
            ratio: record.ratio,
            details: Object.entries(record)
              .filter(([key, child]) => key !== 'ratio' && typeof child === 'number')
              .map(([key, child]) => `${key} ${child}`)
              .join(', '),
          },
        ]
      : [];
  return [...here, ...Object.entries(record).flatMap(([key, child]) => ratios(child, [...path, key]))];
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
    const document = JSON.parse(readFileSync(path, 'utf8')) as { measuredAt?: string };
    const written = document.measuredAt ?? statSync(path).mtime.toISOString();
    const found = ratios(document);
    if (found.length === 0) return { ...base, notMeasured: `bench/results/${file} holds no \`ratio\` field` };
    return {
      ...base,
      figure: summarize(found.map(({ ratio }) => ratio)),
      sample: 'fixture',
      notes: [
        `from bench/results/${file} (e2e suite on real docker, measured ${written}); range is across fixtures`,
        ...found.map(
          ({ label, ratio, details }) => `  ${label}: ${ratio.toFixed(3)}${details ? ` (${details})` : ''}`,
        ),
      ],
    };
  });
}
