// rebuild and image size: measured by the docker end-to-end suite (`npm run test:e2e`, real docker), which
// writes bench/results/e2e-*.json; this row only reads those files so they appear in the same table.
// Every object with a numeric `ratio` is one fixture's figure; the target applies to each (the max).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type RowResult, summarize } from './result';

const ROWS = [
  { row: 'rebuild', file: 'e2e-rebuild.json', compared: 'warm rebuild / cold build (time)', targetMax: 0.2 },
  {
    row: 'rebuild, CodeBuild conditions',
    file: 'e2e-codebuild-rebuild.json',
    compared: 'warm rebuild / cold build (time), fresh engine, rotated credentials, registry cache only',
    targetMax: 0.3,
  },
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

/** The numbers of a measured object, as "name value" pairs; nested measurements in parentheses. */
function describeNumbers(record: Record<string, unknown>): string {
  return Object.entries(record)
    .flatMap(([key, child]) => {
      if (typeof child === 'number') return [`${key} ${child}`];
      if (child !== null && typeof child === 'object' && !Array.isArray(child)) {
        const inner = describeNumbers(child as Record<string, unknown>);
        return inner ? [`${key} (${inner})`] : [];
      }
      return [];
    })
    .join(', ');
}

/**
 * Finds the measured objects in a JSON document: each object with a numeric `ratio` is one fixture,
 * labelled by its `fixture` field or its path of keys. Ratios nested inside it (a sub-measure such as one
 * build step) are shown with it, not counted as fixtures.
 */
function ratios(value: unknown, path: string[] = []): Found[] {
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.ratio === 'number') {
    const { ratio, ...rest } = record;
    const label = typeof record.fixture === 'string' ? record.fixture : path.join('/') || 'ratio';
    return [{ label, ratio, details: describeNumbers(rest) }];
  }
  return Object.entries(record).flatMap(([key, child]) => ratios(child, [...path, key]));
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
