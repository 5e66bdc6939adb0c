import type { KilnConfigInput } from '../../../../contract/config-schema';
import { kilnConfigSchema } from '../../../../contract/config-schema';
import { KilnError } from '../../../../contract/errors';
import { detectApp } from '../../../../runner/detect';
import { snapshotFromFiles } from '../../../../runner/detect/snapshot';

export function detect(files: Record<string, string>, config: KilnConfigInput = {}) {
  return detectApp(snapshotFromFiles(files), kilnConfigSchema.parse(config));
}

/** The decision for a subject: `value (from source)`. */
export function decision(
  files: Record<string, string>,
  subject: string,
  config: KilnConfigInput = {},
): string {
  const found = detect(files, config).report.decisions.find((d) => d.subject === subject);
  return found ? `${found.value} (from ${found.source})` : 'none';
}

export function detectError(files: Record<string, string>, config: KilnConfigInput = {}): KilnError {
  try {
    detect(files, config);
  } catch (error) {
    expect(error).toBeInstanceOf(KilnError);
    return error as KilnError;
  }
  throw new Error('expected detection to fail');
}

export const pkg = (value: object) => JSON.stringify(value);
