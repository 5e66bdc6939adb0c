// Reading docker build output: was the step running `command` taken from the cache? Its first
// occurrence counts (kiln builds the cache stages first; later builds of the same run reuse them).
// The classic builder prints ` ---> Using cache` after the step; BuildKit (plain progress) prints
// `#N CACHED` (or `#N DONE`, when it ran) for the step's number N.
export function stepReusedCache(output: string, command: string): boolean {
  const lines = output.split('\n');
  const classic = lines.findIndex((line) => /Step \d+\/\d+ : RUN /.test(line) && line.includes(command));
  if (classic !== -1) {
    const next = lines.slice(classic + 1).find((line) => line.includes('--->'));
    return next?.includes('Using cache') ?? false;
  }
  const step = lines.findIndex((line) => /#\d+ \[[^\]]+\] RUN /.test(line) && line.includes(command));
  if (step === -1) throw new Error(`no build step runs ${command}`);
  const number = /#(\d+) \[/.exec(lines[step] as string)?.[1];
  const status = lines
    .slice(step + 1)
    .map((line) => new RegExp(`#${number} (CACHED|DONE|ERROR)`).exec(line)?.[1])
    .find(Boolean);
  return status === 'CACHED';
}
