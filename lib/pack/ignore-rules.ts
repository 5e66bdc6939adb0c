// Which project paths leave the laptop: pure rules over the contents of the ignore files, so they are
// testable without a file system. Layers, in order: `.gitignore` files (nested, git semantics: each
// applies relative to its own directory, deeper files win), the root `.dockerignore` (Docker semantics:
// patterns are anchored at the project root), then the root `.kilnignore`, applied last, whose `!`
// rules re-include what the earlier layers excluded.
import ignore, { type Ignore } from 'ignore';

export const GITIGNORE = '.gitignore';
export const DOCKERIGNORE = '.dockerignore';
export const KILNIGNORE = '.kilnignore';

/** What an ancestor directory decided, passed down the walk. */
export interface DirectoryVerdict {
  /** Excluded by the rules (its contents too, unless `.kilnignore` re-includes them). */
  excluded: boolean;
  /** Re-included as a whole by a `.kilnignore` `!` rule: its contents are kept unless kiln rules exclude them. */
  reincluded: boolean;
}

export const ROOT_VERDICT: DirectoryVerdict = { excluded: false, reincluded: false };

/** A `.gitignore` file's rules, with the directory (relative to the project, '' for the root) they apply to. */
export interface GitignoreLayer {
  dir: string;
  rules: Ignore;
}

export function parseGitignore(dir: string, content: string): GitignoreLayer {
  return { dir, rules: ignore().add(content) };
}

/** Docker matches every `.dockerignore` pattern against the path from the context root. */
export function parseDockerignore(content: string): Ignore {
  const anchored = content.split(/\r?\n/).map((line) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return '';
    const negated = trimmed.startsWith('!');
    const body = (negated ? trimmed.slice(1) : trimmed).replace(/^(\.\/|\/)+/, '');
    return `${negated ? '!' : ''}/${body}`;
  });
  return ignore().add(anchored);
}

export class KilnignoreRules {
  private readonly rules: Ignore;
  /** Directory parts of the `!` patterns, to know which excluded directories may hold re-included files. */
  private readonly reincludePrefixes: string[][];

  constructor(content: string) {
    this.rules = ignore().add(content);
    this.reincludePrefixes = content
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/^\/+/, '').replace(/\/+$/, '').split('/'));
  }

  test(path: string): { ignored: boolean; unignored: boolean } {
    return this.rules.test(path);
  }

  /** Whether some `!` rule could match a path below `dir`, so that an excluded `dir` must still be walked. */
  mayReincludeUnder(dir: string): boolean {
    const dirParts = dir.split('/');
    return this.reincludePrefixes.some((parts) => {
      // A pattern without a slash matches at any depth, as does one starting with `**`.
      if (parts.length === 1 || parts[0] === '**') return true;
      if (parts.length <= dirParts.length) return false;
      return dirParts.every((part, i) => segmentMayMatch(parts[i]!, part));
    });
  }
}

function segmentMayMatch(patternSegment: string, name: string): boolean {
  return /[*?[\\]/.test(patternSegment) || patternSegment === name;
}

export interface ProjectRules {
  /** Applicable `.gitignore` layers for the directory being walked, shallowest first. */
  gitignores: GitignoreLayer[];
  dockerignore: Ignore | null;
  kilnignore: KilnignoreRules | null;
}

/**
 * Left out unless `.kilnignore` re-includes it (`!node_modules/`): the image installs its own
 * dependencies, for Linux, and a `COPY . .` would lay the laptop's (macOS or Windows native modules)
 * over them; uploading them costs time and nothing else.
 */
const EXCLUDED_BY_DEFAULT = /(^|\/)node_modules\/$/;

/**
 * Decides one path (directories end with '/') given its parent's verdict. Deeper `.gitignore` files
 * win over shallower ones; within one file the last matching rule wins (the `ignore` package).
 */
export function decide(path: string, parent: DirectoryVerdict, rules: ProjectRules): DirectoryVerdict {
  const kiln = rules.kilnignore?.test(path);
  if (kiln?.ignored) return { excluded: true, reincluded: false };
  if (kiln?.unignored) return { excluded: false, reincluded: true };
  if (parent.reincluded) return parent;
  if (parent.excluded) return parent;
  return {
    excluded:
      EXCLUDED_BY_DEFAULT.test(path) ||
      excludedByGit(path, rules.gitignores) ||
      !!rules.dockerignore?.ignores(path),
    reincluded: false,
  };
}

function excludedByGit(path: string, layers: GitignoreLayer[]): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const relative = layer.dir === '' ? path : path.slice(layer.dir.length + 1);
    const result = layer.rules.test(relative);
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}
