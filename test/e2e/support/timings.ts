// Figures read from a build's output, for bench/results.

/** The duration the runner logged for a step (`[kiln] ✓ <step> done in 1.2s`). */
export function stepSeconds(output: string, step: string): number | null {
  const match = new RegExp(`✓ ${step} done in ([0-9.]+)s`).exec(output);
  return match ? Number(match[1]) : null;
}

export function ratioOf(warm: number | null, cold: number | null): number | null {
  return warm !== null && cold ? Number((warm / cold).toFixed(3)) : null;
}
