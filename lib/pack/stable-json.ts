// JSON with object keys sorted at every level, so equal values always serialise to equal bytes.
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, (_key, item) => (isPlainObject(item) ? sortKeys(item) : item), 2)}\n`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sortKeys(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, object[key]]),
  );
}
