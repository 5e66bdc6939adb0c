// Turns zod validation issues into messages that name the file, the key path and, for a misspelt
// key, the closest valid one.
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

type Segment = PropertyKey;

/** Minimal view of zod 4 schema internals: enough to list the keys an object accepts. */
interface SchemaDef {
  type: string;
  shape?: Record<string, { _zod: { def: SchemaDef } }>;
  innerType?: { _zod: { def: SchemaDef } };
  options?: { _zod: { def: SchemaDef } }[];
  valueType?: { _zod: { def: SchemaDef } };
}

function objectDefs(def: SchemaDef): SchemaDef[] {
  if (def.type === 'object') return [def];
  if (def.innerType) return objectDefs(def.innerType._zod.def);
  if (def.options) return def.options.flatMap((option) => objectDefs(option._zod.def));
  return [];
}

/** The keys accepted by the object at `path` (unwrapping defaults, optionals and unions). */
function keysAt(schema: z.ZodType, path: readonly Segment[]): string[] {
  let defs = objectDefs(schema._zod.def as SchemaDef);
  for (const segment of path) {
    defs = defs.flatMap((def) => {
      const child = def.shape?.[String(segment)];
      if (child) return objectDefs(child._zod.def);
      return def.valueType ? objectDefs(def.valueType._zod.def) : [];
    });
  }
  return [...new Set(defs.flatMap((def) => Object.keys(def.shape ?? {})))];
}

function formatPath(path: readonly Segment[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index > 0 ? '.' : ''}${String(segment)}`,
    )
    .join('');
}

/** The closest valid key, if it is close enough to be a likely typo. */
function suggestKey(key: string, valid: readonly string[]): string | undefined {
  if (valid.length === 0) return undefined;
  const best = closest(key, [...valid]);
  const lowerMatch = valid.find((candidate) => candidate.toLowerCase() === key.toLowerCase());
  if (lowerMatch) return lowerMatch;
  return distance(key, best) <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

export function describeIssues(schema: z.ZodType, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const valid = keysAt(schema, issue.path);
      return issue.keys.map((key) => {
        const where = formatPath([...issue.path, key]);
        const suggestion = suggestKey(key, valid);
        return suggestion
          ? `unknown key "${where}"; did you mean "${formatPath([...issue.path, suggestion])}"?`
          : `unknown key "${where}"; valid keys here: ${valid.join(', ')}`;
      });
    }
    const where = issue.path.length > 0 ? `"${formatPath(issue.path)}"` : 'the config';
    return [`${where}: ${issue.message}`];
  });
}
