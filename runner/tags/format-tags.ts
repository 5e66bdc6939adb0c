// Image tags from the configured format (`docker.tag`). Pure: the runner supplies the values.
// Several tags: separate formats with commas (`:FRIENDLY_TAG-:TIMESTAMP-:GIT_SHA,:GIT_BRANCH`).
import { KilnError } from '../../contract/errors';

export interface TagValues {
  /** The project's friendly name (config `name`, default the directory name). */
  friendlyTag: string;
  timestamp: Date;
  gitSha?: string;
  gitBranch?: string;
  gitDirty?: boolean;
  buildNumber?: string;
}

const PLACEHOLDERS: Record<string, (values: TagValues) => string | undefined> = {
  FRIENDLY_TAG: (v) => v.friendlyTag,
  TIMESTAMP: (v) => formatTimestamp(v.timestamp),
  GIT_SHA: (v) => v.gitSha?.slice(0, 7),
  GIT_BRANCH: (v) => v.gitBranch,
  GIT_DIRTY: (v) => (v.gitDirty ? 'dirty' : undefined),
  BUILD_NUMBER: (v) => v.buildNumber,
};

const MAX_TAG_LENGTH = 128;

/** UTC `YYYY-MM-DDTHH-MM-SSZ`: sortable, and valid in a Docker tag (no colons). */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replaceAll(':', '-')}Z`;
}

/** Makes any text a valid Docker tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`); '' when nothing is left. */
export function sanitizeTag(text: string): string {
  const trimEdges = (s: string) => s.replace(/^[.-]+/, '').replace(/[.-]+$/, '');
  const cleaned = trimEdges(text.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/-{2,}/g, '-'));
  return trimEdges(cleaned.slice(0, MAX_TAG_LENGTH));
}

/** Every distinct tag the format yields; missing parts are dropped. Throws when none is left. */
export function formatTags(format: string, values: TagValues): string[] {
  const tags = format.split(',').map((one) => sanitizeTag(expand(one.trim(), values)));
  const distinct = [...new Set(tags.filter((tag) => tag !== ''))];
  if (distinct.length === 0) {
    throw new KilnError(
      `the tag format "${format}" produced no tag for this build`,
      'Add a part that is always present to docker.tag, e.g. ":FRIENDLY_TAG-:TIMESTAMP".',
    );
  }
  return distinct;
}

function expand(format: string, values: TagValues): string {
  return format.replace(/:([A-Z][A-Z_]*)/g, (_match, name: string) => {
    const placeholder = PLACEHOLDERS[name];
    if (!placeholder) {
      throw new KilnError(
        `unknown placeholder ":${name}" in the tag format "${format}" (docker.tag)`,
        `Use ${Object.keys(PLACEHOLDERS)
          .map((known) => `:${known}`)
          .join(', ')}.`,
      );
    }
    return placeholder(values) ?? '';
  });
}
