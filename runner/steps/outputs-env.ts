// `.kiln-build/outputs.env`: written by the runner, sourced by buildspec.yml (so CodeBuild exports
// the variables) and read back by `kiln build --local`.
import type { EXPORTED_VARIABLES } from '../../contract/description';

export type ImageOutputs = Record<(typeof EXPORTED_VARIABLES)[number], string>;

/** POSIX single-quoting: safe to `source` whatever the value holds. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function renderOutputsEnv(outputs: ImageOutputs): string {
  return Object.entries(outputs)
    .map(([name, value]) => `export ${name}=${shellQuote(value)}\n`)
    .join('');
}

/** Reads back what renderOutputsEnv wrote. */
export function parseOutputsEnv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^export ([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined) values[match[1]] = unquote(match[2]);
  }
  return values;
}

function unquote(quoted: string): string {
  return quoted.replace(/^'|'$/g, '').replaceAll(`'\\''`, "'");
}
