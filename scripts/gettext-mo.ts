// Compiles gettext .po files into .mo without GNU gettext, for the WordPress plugin's translations
// (npm run plugins:build). Output is byte for byte what `msgfmt --no-hash` writes (tests/e2e checks it):
// the header, the table of originals and the table of translations, then the strings, each ending in NUL,
// sorted by original. Fuzzy and untranslated entries are left out, and the header entry loses its
// POT-Creation-Date line, as msgfmt does.

export interface PoEntry {
  context?: string;
  id: string;
  plural?: string;
  /** One string, or one per plural form. */
  strings: string[];
  fuzzy: boolean;
}

function unquote(line: string): string {
  const body = line.trim().replace(/^"|"$/g, '');
  return body.replace(/\\(["\\ntr]|[0-7]{1,3})/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : /^[0-7]/.test(c) ? String.fromCharCode(parseInt(c, 8)) : c);
}

/** The entries of a .po file (comments other than the fuzzy flag are dropped). */
export function parsePo(text: string): PoEntry[] {
  const entries: PoEntry[] = [];
  let current: PoEntry | null = null;
  let field: { set: (s: string) => void } | null = null;
  let fuzzy = false;
  const start = () => {
    if (!current) current = { id: '', strings: [], fuzzy };
    return current;
  };
  const finish = () => {
    if (current) entries.push(current);
    current = null;
    field = null;
    fuzzy = false;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') { finish(); continue; }
    if (line.startsWith('#,')) { if (current && (current as PoEntry).strings.length) finish(); fuzzy = /\bfuzzy\b/.test(line); continue; }
    if (line.startsWith('#')) continue;
    const m = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$/.exec(line);
    if (m) {
      const [, key, index, value] = m;
      if (key === 'msgctxt' || (key === 'msgid' && current && (current as PoEntry).strings.length)) finish();
      const e = start();
      e.fuzzy = fuzzy;
      const text = unquote(value!);
      if (key === 'msgctxt') field = { set: (s) => (e.context = (e.context ?? '') + s) };
      else if (key === 'msgid') field = { set: (s) => (e.id += s) };
      else if (key === 'msgid_plural') field = { set: (s) => (e.plural = (e.plural ?? '') + s) };
      else {
        const i = index === undefined ? 0 : Number(index);
        e.strings[i] = '';
        field = { set: (s) => (e.strings[i] += s) };
      }
      field.set(text);
      continue;
    }
    if (line.startsWith('"') && field) { field.set(unquote(line)); continue; }
    throw new Error(`Cannot read this .po line: ${raw}`);
  }
  finish();
  return entries;
}

/** A .mo file from .po text. */
export function compileMo(poText: string): Buffer {
  const kept = parsePo(poText).filter((e) => !e.fuzzy && e.strings.length > 0 && e.strings.every((s) => s !== ''));
  const pairs = kept.map((e) => ({
    original: Buffer.from((e.context !== undefined ? `${e.context}\u0004` : '') + e.id + (e.plural !== undefined ? `\0${e.plural}` : ''), 'utf8'),
    // msgfmt leaves the template's creation date out of the compiled header.
    translation: Buffer.from(e.id === '' && e.context === undefined ? e.strings[0]!.replace(/^POT-Creation-Date:.*\n/m, '') : e.strings.join('\0'), 'utf8'),
  }));
  pairs.sort((a, b) => Buffer.compare(a.original, b.original));
  const n = pairs.length;
  const header = Buffer.alloc(28 + n * 16);
  header.writeUInt32LE(0x950412de, 0);
  header.writeUInt32LE(0, 4);
  header.writeUInt32LE(n, 8);
  header.writeUInt32LE(28, 12);
  header.writeUInt32LE(28 + n * 8, 16);
  header.writeUInt32LE(0, 20);
  header.writeUInt32LE(28 + n * 16, 24);
  const chunks: Buffer[] = [header];
  let offset = header.length;
  const place = (table: number, i: number, data: Buffer) => {
    header.writeUInt32LE(data.length, table + i * 8);
    header.writeUInt32LE(offset, table + i * 8 + 4);
    chunks.push(data, Buffer.from([0]));
    offset += data.length + 1;
  };
  pairs.forEach((p, i) => place(28, i, p.original));
  pairs.forEach((p, i) => place(28 + n * 8, i, p.translation));
  return Buffer.concat(chunks);
}
