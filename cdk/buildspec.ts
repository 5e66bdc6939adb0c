// The projects' buildspec is the repository's top-level buildspec.yml, read at synth time, so the
// deployed projects and `kiln build --local` run exactly the same steps.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildSpec } from 'aws-cdk-lib/aws-codebuild';
import { parse } from 'yaml';
import { KilnError } from '../contract/errors';

const BUILDSPEC_FILE = join(__dirname, '..', 'buildspec.yml');

export function loadBuildSpec(): BuildSpec {
  let spec: unknown;
  try {
    spec = parse(readFileSync(BUILDSPEC_FILE, 'utf8'));
  } catch (error) {
    throw new KilnError(
      `Cannot read the buildspec ${BUILDSPEC_FILE}: ${(error as Error).message}`,
      'The CodeBuild projects take their buildspec from this file; restore it from git.',
    );
  }
  if (typeof spec !== 'object' || spec === null || !('version' in spec) || !('phases' in spec)) {
    throw new KilnError(
      `The buildspec ${BUILDSPEC_FILE} is not a CodeBuild buildspec (it needs "version" and "phases").`,
      'Restore buildspec.yml from git.',
    );
  }
  return BuildSpec.fromObjectToYaml(spec as Record<string, unknown>);
}
