// Checks that a Dockerfile has the managed shape: it parses, global ARGs come before the first
// FROM, stages run base → [assets] → deps → [prod-deps] → build → deployment, AWS credentials (args or the secret
// mount) live only in the build stage, and USER/EXPOSE/CMD come last.
import { AWS_CREDENTIAL_ARGS, AWS_SECRET_ID } from '../../../../runner/dockerfile/credentials';
import { type ParsedInstruction, parseDockerfile } from '../../../../runner/dockerfile/parse';

export interface ParsedStage {
  name: string;
  from: string;
  instructions: ParsedInstruction[];
}

export function stagesOf(dockerfile: string): { preamble: ParsedInstruction[]; stages: ParsedStage[] } {
  const { instructions, problems } = parseDockerfile(dockerfile);
  if (problems.length > 0) throw new Error(`Dockerfile does not parse: ${JSON.stringify(problems)}`);
  const preamble: ParsedInstruction[] = [];
  const stages: ParsedStage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [from, , name] = instruction.args.split(/\s+/);
      stages.push({ name: name ?? '', from: from!, instructions: [] });
    } else if (stages.length === 0) preamble.push(instruction);
    else stages[stages.length - 1]!.instructions.push(instruction);
  }
  return { preamble, stages };
}

/** Throws with a precise message when the Dockerfile breaks the managed layout. */
export function assertManagedLayout(dockerfile: string): void {
  expect(dockerfile.endsWith('\n')).toBe(true);
  const { preamble, stages } = stagesOf(dockerfile);
  expect(preamble.every((instruction) => instruction.keyword === 'ARG')).toBe(true);
  const names = stages.map((stage) => stage.name);
  expect(names).toEqual([
    'base',
    ...(names.includes('assets') ? ['assets'] : []),
    'deps',
    ...(names.includes('prod-deps') ? ['prod-deps'] : []),
    'build',
    'deployment',
  ]);
  expect(stages[stages.length - 1]!.from).toBe('base');

  const credentialStages = stages
    .filter((stage) =>
      stage.instructions.some(
        (instruction) =>
          (instruction.keyword === 'ARG' && AWS_CREDENTIAL_ARGS.some((name) => instruction.args === name)) ||
          instruction.args.includes(`id=${AWS_SECRET_ID},`),
      ),
    )
    .map((stage) => stage.name);
  expect(credentialStages.filter((name) => name !== 'build')).toEqual([]);

  const deployment = stages[stages.length - 1]!.instructions.map((instruction) => instruction.keyword);
  expect(deployment.join(' ')).toMatch(/ (USER )?(EXPOSE )?(CMD|ENTRYPOINT)$/);
  const firstUser = deployment.indexOf('USER');
  if (firstUser !== -1)
    expect(deployment.slice(firstUser).some((k) => k === 'RUN' || k === 'COPY')).toBe(false);
}

/** Index of the first instruction in a stage whose text contains `marker`. */
export function indexOfMarker(stage: ParsedStage, marker: string): number {
  return stage.instructions.findIndex((instruction) =>
    `${instruction.keyword} ${instruction.args}`.includes(marker),
  );
}
