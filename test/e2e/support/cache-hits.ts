// Reading docker build output: was the step running `command` taken from the cache, in each docker
// build of a kiln run? kiln builds the cache stages first, then the image; a step that both need
// appears once in each. The classic builder prints ` ---> Using cache` after the step; BuildKit
// (plain progress) prints `#N CACHED` (or `#N DONE`, when it ran) for the step's number N.
export type StepOutcome = 'cached' | 'ran';

/** The step's outcome in each docker build that has it, in order. */
export function stepOutcomes(output: string, command: string): StepOutcome[] {
  const outcomes = dockerBuilds(output).flatMap((lines) => {
    const outcome = outcomeIn(lines, command);
    return outcome ? [outcome] : [];
  });
  if (outcomes.length === 0) throw new Error(`no build step runs ${command}`);
  return outcomes;
}

/** The first build's outcome: whether the run reused the step at all. */
export function stepReusedCache(output: string, command: string): boolean {
  return stepOutcomes(output, command)[0] === 'cached';
}

/** The output split at the start of each docker build (BuildKit's step #1, the classic Step 1/N). */
function dockerBuilds(output: string): string[][] {
  const builds: string[][] = [[]];
  for (const line of output.split('\n')) {
    if (/#1 \[internal\] load build definition|Step 1\/\d+ :/.test(line)) builds.push([]);
    builds.at(-1)!.push(line);
  }
  return builds;
}

function outcomeIn(lines: string[], command: string): StepOutcome | undefined {
  const classic = lines.findIndex((line) => /Step \d+\/\d+ : RUN /.test(line) && line.includes(command));
  if (classic !== -1) {
    const next = lines.slice(classic + 1).find((line) => line.includes('--->'));
    return next?.includes('Using cache') ? 'cached' : 'ran';
  }
  const step = lines.findIndex((line) => /#\d+ \[[^\]]+\] RUN /.test(line) && line.includes(command));
  if (step === -1) return undefined;
  const number = /#(\d+) \[/.exec(lines[step] as string)?.[1];
  const status = lines
    .slice(step + 1)
    .map((line) => new RegExp(`#${number} (CACHED|DONE|ERROR)`).exec(line)?.[1])
    .find(Boolean);
  return status === 'CACHED' ? 'cached' : 'ran';
}
