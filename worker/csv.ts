export class CsvError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(message);
    this.line = line;
  }
}

interface Parsed {
  fields: string[];
  next: number;
  newlines: number;
}

/** One record from `start`, or null when the text ends before the record does (more is coming). */
function parseRecord(s: string, start: number, final: boolean, line: number): Parsed | null {
  const fields: string[] = [];
  let field = '';
  let i = start;
  let newlines = 0;
  for (;;) {
    if (i >= s.length) {
      if (!final) return null;
      fields.push(field);
      return { fields, next: i, newlines };
    }
    const ch = s[i]!;
    if (ch === '"' && field === '') {
      // A quoted field: runs to the next quote not doubled.
      let j = i + 1;
      for (;;) {
        if (j >= s.length) {
          if (!final) return null;
          throw new CsvError(line, 'has a quoted field that never closes');
        }
        if (s[j] === '"') {
          if (j + 1 >= s.length && !final) return null;
          if (s[j + 1] === '"') {
            field += '"';
            j += 2;
            continue;
          }
          break;
        }
        if (s[j] === '\n') newlines++;
        field += s[j];
        j++;
      }
      i = j + 1;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && i + 1 >= s.length && !final) return null;
      const next = ch === '\r' && s[i + 1] === '\n' ? i + 2 : i + 1;
      fields.push(field);
      return { fields, next, newlines: newlines + 1 };
    } else {
      field += ch;
      i++;
    }
  }
}

/**
 * A streaming RFC 4180 CSV reader: yields records as the bytes arrive, so an upload is never held
 * whole in memory (only the record being read). Quoted fields may hold commas, doubled quotes and
 * line breaks; CRLF, LF or CR ends a record; blank lines are skipped; a UTF-8 BOM is dropped.
 */
export async function* csvRecords(
  stream: ReadableStream<Uint8Array>,
  onBytes: (n: number) => void = () => {},
): AsyncGenerator<{ line: number; fields: string[] }> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const reader = stream.getReader();
  let buffer = '';
  let line = 1;
  let started = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (value) onBytes(value.byteLength);
    let text: string;
    try {
      text = done ? decoder.decode() : decoder.decode(value, { stream: true });
    } catch {
      throw new CsvError(line, 'is not valid UTF-8');
    }
    if (!started && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      started = true;
    }
    buffer += text;
    let pos = 0;
    while (pos < buffer.length) {
      const rec = parseRecord(buffer, pos, done, line);
      if (!rec) break;
      if (!(rec.fields.length === 1 && rec.fields[0] === '')) yield { line, fields: rec.fields };
      line += rec.newlines;
      pos = rec.next;
    }
    buffer = buffer.slice(pos);
    if (done) return;
  }
}
