/**
 * JSON with every object's keys in sorted order, at every depth: two bodies that differ only in key order are the
 * same request (D15 hashes this form, so a client that rebuilds a body in another order still gets its replay).
 * Arrays keep their order, which means something.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  // fromEntries defines each key as data, so even a key named __proto__ stays a key.
  return Object.fromEntries(Object.keys(source).sort().map((key) => [key, sortKeys(source[key])]));
}
