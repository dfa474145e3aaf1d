/**
 * The non-blank lines of a UTF-8 byte stream, with their 1-based line numbers, read as the bytes
 * arrive (never the whole body at once). `onBytes` sees every chunk's size first, so a caller can
 * stop a body that runs over its limit.
 */
export async function* ndjsonLines(
  stream: ReadableStream<Uint8Array>,
  onBytes: (n: number) => void,
): AsyncGenerator<{ line: number; text: string }> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let rest = '';
  let line = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    onBytes(chunk.byteLength);
    rest += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let nl = rest.indexOf('\n'); nl !== -1; nl = rest.indexOf('\n', start)) {
      line++;
      const text = rest.slice(start, nl).trim();
      if (text !== '') yield { line, text };
      start = nl + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.decode();
  line++;
  if (rest.trim() !== '') yield { line, text: rest.trim() };
}
