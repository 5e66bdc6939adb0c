// Runtime versions: read from the files each ecosystem uses, validated, and reduced to the part
// an image tag carries (Node: major; Python and Ruby: major.minor; Go: major.minor).
import { KilnError } from '../../contract/errors';
import { DEFAULT_SOURCE, type DecisionLog } from './report';
import type { ProjectSnapshot } from './snapshot';

export const DEFAULT_VERSIONS = { node: '24', python: '3.13', ruby: '3.4' } as const;

/** Node release codenames used by `.nvmrc` (`lts/iron`). */
const NODE_CODENAMES: Record<string, string> = {
  hydrogen: '18',
  iron: '20',
  jod: '22',
  krypton: '24',
};

export interface VersionSource {
  /** File (relative path) the version came from. */
  file: string;
  /** Raw version text as written. */
  raw: string;
}

function invalid(language: string, source: VersionSource, expected: string): KilnError {
  return new KilnError(
    `${source.file}: "${source.raw}" is not a valid ${language} version`,
    `Write a version such as ${expected}, or remove the file to use the default.`,
  );
}

/** Reads `<tool> <version>` from asdf/mise `.tool-versions`. */
export function toolVersion(snapshot: ProjectSnapshot, tools: readonly string[]): VersionSource | undefined {
  const text = snapshot.contents.get('.tool-versions');
  if (text === undefined) return undefined;
  for (const line of text.split('\n')) {
    const [tool, version] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (tool && version && tools.includes(tool)) return { file: '.tool-versions', raw: version };
  }
  return undefined;
}

/** The first line of a one-line version file, if present and not blank. */
export function versionFile(snapshot: ProjectSnapshot, file: string): VersionSource | undefined {
  const raw = snapshot.contents.get(file)?.split('\n')[0]?.trim();
  return raw ? { file, raw } : undefined;
}

/**
 * A version constraint (`>=3.10`, `^20.1`, `~> 3.2`) or a plain version. Lower bounds (`>=`, `>`)
 * accept the default when it satisfies them; anything else pins the named release line.
 */
function fromConstraint(raw: string, fallback: string, parts: 1 | 2): string | undefined {
  const alternatives = raw.split('||');
  const last = alternatives[alternatives.length - 1]!.trim();
  const match = /^(>=|>|\^|~>|~=|~|==|=)?\s*v?(\d+)(?:\.(\d+|x|\*))?/.exec(last);
  if (!match) return undefined;
  const major = match[2]!;
  const minor = match[3] && /^\d+$/.test(match[3]) ? match[3] : undefined;
  const version = parts === 1 ? major : minor === undefined ? undefined : `${major}.${minor}`;
  if (match[1] === '>=' || match[1] === '>') {
    const floor = parts === 1 ? [Number(major)] : [Number(major), Number(minor ?? 0)];
    return compare(fallback.split('.').map(Number), floor) >= 0 ? fallback : (version ?? `${major}.0`);
  }
  return version ?? (parts === 2 && major === fallback.split('.')[0] ? fallback : undefined);
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function nodeMajor(source: VersionSource): string {
  const raw = source.raw.trim();
  if (/^(lts\/\*|lts|node|stable|latest)$/i.test(raw)) return DEFAULT_VERSIONS.node;
  const codename = /^lts\/(\w+)$/i.exec(raw)?.[1]?.toLowerCase();
  if (codename !== undefined) {
    const major = NODE_CODENAMES[codename];
    if (major === undefined) throw invalid('Node.js', source, '24, 22.11.0 or lts/jod');
    return major;
  }
  const version = fromConstraint(raw, DEFAULT_VERSIONS.node, 1);
  if (version === undefined || !/^[\sv\d.<>=^~|x*-]+$/.test(raw)) {
    throw invalid('Node.js', source, '24, 22.11.0 or lts/jod');
  }
  return version;
}

/** Python `3.12`, `3.12.1`, `python-3.12.1` (runtime.txt), or a `requires-python` constraint. */
export function pythonMinor(source: VersionSource): string {
  const raw = source.raw.replace(/^python-/, '').trim();
  const version = /^[\d.<>=~^!*, ]+$/.test(raw)
    ? fromConstraint(raw.split(',')[0]!, DEFAULT_VERSIONS.python, 2)
    : undefined;
  if (version === undefined || !/^3\.\d+$/.test(version)) throw invalid('Python', source, '3.13 or 3.12.7');
  return version;
}

/** Ruby `3.3.0`, `ruby-3.3.0`, `~> 3.2` (Gemfile). */
export function rubyMinor(source: VersionSource): string {
  const raw = source.raw.replace(/^ruby-/, '').trim();
  const version = /^[\d.<>=~ ]+$/.test(raw) ? fromConstraint(raw, DEFAULT_VERSIONS.ruby, 2) : undefined;
  if (version === undefined || !/^[2-9]\.\d+$/.test(version)) throw invalid('Ruby', source, '3.4 or 3.3.6');
  return version;
}

/** Go `1.22`, `1.22.3`, `go1.23.1` (toolchain line). */
export function goMinor(source: VersionSource): string {
  const match = /^(?:go)?(1\.\d+)(\.\d+)?(rc\d+|beta\d+)?$/.exec(source.raw.trim());
  if (!match) throw invalid('Go', source, '1.22 or 1.22.3');
  return match[1]!;
}

/** Records the first version source found, or the default, and returns the reduced version. */
export function pickVersion(
  log: DecisionLog,
  subject: string,
  sources: (VersionSource | undefined)[],
  reduce: (source: VersionSource) => string,
  fallback: string,
): string {
  const source = sources.find((candidate) => candidate !== undefined);
  if (source === undefined) return log.decide(subject, fallback, DEFAULT_SOURCE);
  return log.decide(subject, reduce(source), source.file);
}
