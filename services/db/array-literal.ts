/**
 * A column of values as PostgreSQL's array text (`{"a","b",NULL}`), for the `unnest` of many rows (sql.ts
 * unnestRows). pg encodes a JS array the same way, but through a general path: every element through its
 * prepareValue, two regular-expression replaces and a local-time date format. A batch of awards sends about forty
 * such columns, and pg's encoding of them was the largest single part of what a signed event allocated (measured:
 * about a fifth). Here an element is quoted as is unless it holds a quote or a backslash, and a timestamp is its
 * ISO text (UTC); what PostgreSQL reads is the same. A column holding anything else (an object, bytes, a nested
 * array) is returned unchanged, and pg encodes it as before.
 */
export function arrayLiteral(values: readonly unknown[]): string | readonly unknown[] {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) text += ',';
    if (value === null || value === undefined) {
      text += 'NULL';
      continue;
    }
    switch (typeof value) {
      case 'string':
        text += value.indexOf('"') === -1 && value.indexOf('\\') === -1 ? `"${value}"` : `"${value.replace(/["\\]/g, '\\$&')}"`;
        break;
      case 'number':
      case 'bigint':
        text += `"${value}"`;
        break;
      case 'boolean':
        text += value ? 'true' : 'false';
        break;
      default:
        if (!(value instanceof Date) || Number.isNaN(value.getTime())) return values;
        text += `"${value.toISOString()}"`;
    }
  }
  return `${text}}`;
}
