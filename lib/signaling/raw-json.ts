/**
 * Finds where a top-level member's value sits in the text of a JSON object, so the signaling
 * server can relay a signal's `data` exactly as it was sent instead of re-serializing it
 * (JSON.stringify of a 1 KB SDP costs more than parsing it did).
 *
 * `text` must already have passed JSON.parse: this only locates, it does not validate. Like
 * JSON.parse it takes the last of duplicate keys, and it compares key names decoded.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function skipWhitespace(text: string, i: number): number {
  while (isWhitespace(text.charCodeAt(i))) i++;
  return i;
}

/** `text[i]` is an opening quote; returns the index just past its closing quote. */
function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) throw new SyntaxError('unterminated string');
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** Returns the index just past the JSON value starting at `text[i]`. */
function valueEnd(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return stringEnd(text, i);
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === QUOTE) j = stringEnd(text, j) - 1;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return j + 1;
    }
    throw new SyntaxError('unterminated value');
  }
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isWhitespace(c)) break;
    j++;
  }
  return j;
}

/** The text of the value of top-level member `key`, or null when there is none. */
export function memberValueText(text: string, key: string): string | null {
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== OPEN_OBJECT) return null;
  i = skipWhitespace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_OBJECT) return null;
  let found: string | null = null;
  for (;;) {
    const keyEnd = stringEnd(text, i);
    const raw = text.slice(i + 1, keyEnd - 1);
    const name = raw.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
    i = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1); // past the colon
    const end = valueEnd(text, i);
    if (name === key) found = text.slice(i, end);
    i = skipWhitespace(text, end);
    if (text.charCodeAt(i) !== COMMA) return found;
    i = skipWhitespace(text, i + 1);
  }
}
