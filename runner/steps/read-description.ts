// Step 1: the build description the laptop side packed into the archive.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DESCRIPTION_FILE } from '../../contract/description';
import { type BuildDescription, buildDescriptionSchema } from '../../contract/description-schema';
import { KilnError } from '../../contract/errors';

export async function readBuildDescription(sourceDir: string): Promise<BuildDescription> {
  const path = join(sourceDir, DESCRIPTION_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new KilnError(
      `${DESCRIPTION_FILE} is missing from the source archive`,
      'Start builds with `kiln build`, which packs the build description with the project.',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KilnError(`${DESCRIPTION_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = buildDescriptionSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new KilnError(
      `${DESCRIPTION_FILE} is invalid: ${problems.join('; ')}`,
      'The archive was packed by an incompatible kiln version; rebuild with the same kiln as the runner.',
    );
  }
  return parsed.data;
}
