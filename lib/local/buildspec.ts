// Reads kiln's buildspec.yml for `kiln build --local`: the phases' commands and env variables,
// i.e. the parts CodeBuild would run. Other keys (runtime-versions, reports…) are ignored locally.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { KilnError } from '../../contract/errors';
import { describeIssues } from '../config/issues';

/** CodeBuild's phase order. */
export const PHASES = ['install', 'pre_build', 'build', 'post_build'] as const;

const phaseSchema = z.looseObject({ commands: z.array(z.string()).default([]) });

const buildspecSchema = z.looseObject({
  version: z.union([z.literal(0.2), z.literal('0.2')], { error: 'must be 0.2' }),
  env: z
    .looseObject({
      variables: z
        .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
        .default({}),
      'exported-variables': z.array(z.string()).default([]),
    })
    .prefault({}),
  phases: z.partialRecord(z.enum(PHASES), phaseSchema),
});

export interface LocalBuildspec {
  variables: Record<string, string>;
  exportedVariables: string[];
  /** Phases with commands, in CodeBuild's order. */
  phases: Array<{ name: (typeof PHASES)[number]; commands: string[] }>;
}

export function parseBuildspec(text: string, source = 'buildspec.yml'): LocalBuildspec {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new KilnError(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = buildspecSchema.safeParse(document);
  if (!parsed.success) {
    const problems = describeIssues(buildspecSchema, parsed.error.issues);
    throw new KilnError(`${source} is not a buildspec kiln can run: ${problems.join('; ')}`);
  }
  const { env, phases } = parsed.data;
  return {
    variables: env.variables,
    exportedVariables: env['exported-variables'],
    phases: PHASES.flatMap((name) => {
      const commands = phases[name]?.commands ?? [];
      return commands.length > 0 ? [{ name, commands }] : [];
    }),
  };
}

export async function readBuildspec(path: string): Promise<LocalBuildspec> {
  return parseBuildspec(await readFile(path, 'utf8'), path);
}
