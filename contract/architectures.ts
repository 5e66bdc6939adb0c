// The CPU architectures kiln builds for. Kept apart from config-schema.ts (which re-exports them) so
// the laptop side can use them without loading zod on every command (docs/benchmarks.md, startup).

export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** `remote.arch` as a list, in ARCHITECTURES order, without repeats. */
export function architecturesOf(arch: Architecture | readonly Architecture[]): Architecture[] {
  const wanted: readonly Architecture[] = typeof arch === 'string' ? [arch] : arch;
  return ARCHITECTURES.filter((candidate) => wanted.includes(candidate));
}

/** The one architecture of a single-architecture build (the first when several are asked for). */
export function primaryArchitecture(arch: Architecture | readonly Architecture[]): Architecture {
  return architecturesOf(arch)[0] ?? ARCHITECTURES[0];
}
