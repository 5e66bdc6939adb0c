// GitHub Actions step outputs: when GITHUB_OUTPUT names the step's output file, `kiln build`
// appends image-uri, digest and build-id to it, so a `run: kiln build` step (or kiln's action.yml)
// exposes them as `steps.<id>.outputs.*` without parsing the --json document.
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { KilnError } from '../../contract/errors';

export interface StepOutputValues {
  buildId: string | null;
  imageUri: string | null;
  digest: string | null;
}

/** The file's `name=value` lines (GitHub's heredoc form for a value that spans lines). */
export function formatStepOutputs(values: StepOutputValues): string {
  const outputs: [string, string | null][] = [
    ['image-uri', values.imageUri],
    ['digest', values.digest],
    ['build-id', values.buildId],
  ];
  return outputs
    .map(([name, value]) => {
      const text = value ?? '';
      if (!/[\r\n]/.test(text)) return `${name}=${text}\n`;
      const delimiter = `kiln_${randomUUID()}`;
      return `${name}<<${delimiter}\n${text}\n${delimiter}\n`;
    })
    .join('');
}

export async function writeStepOutputs(file: string | undefined, values: StepOutputValues): Promise<void> {
  if (!file) return;
  try {
    await appendFile(file, formatStepOutputs(values));
  } catch (error) {
    throw new KilnError(
      `cannot write the step outputs to GITHUB_OUTPUT (${file}): ${(error as Error).message}`,
      'GitHub Actions sets GITHUB_OUTPUT to a writable file; unset it when running kiln elsewhere.',
    );
  }
}
