/**
 * Finds where a top-level member's value sits in the text of a JSON object, and how deeply it
 * nests, so the signaling server can relay a signal's `data` exactly as it was sent (copying its
 * bytes) instead of re-serializing it, and refuse deep nesting in the same pass.
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

/** Where a value sits in a text: `text.slice(start, end)`; `depth`: how many objects/arrays deep it nests (0 for a scalar). */
export interface ValueSpan {
  start: number;
  end: number;
  depth: number;
}

/** The span of the JSON value starting at `text[start]`. */
function valueSpan(text: string, start: number): ValueSpan {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return { start, end: stringEnd(text, start), depth: 0 };
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
    let depth = 0;
    let deepest = 0;
    for (let j = start; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === QUOTE) j = stringEnd(text, j) - 1;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) deepest = Math.max(deepest, ++depth);
      else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && --depth === 0) return { start, end: j + 1, depth: deepest };
    }
    throw new SyntaxError('unterminated value');
  }
  let j = start;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isWhitespace(c)) break;
    j++;
  }
  return { start, end: j, depth: 0 };
}

/** Where the value of top-level member `key` sits, or null when there is none. */
export function memberValueSpan(text: string, key: string): ValueSpan | null {
  let i = skipWhitespace(text, 0);
  if (text.charCodeAt(i) !== OPEN_OBJECT) return null;
  i = skipWhitespace(text, i + 1);
  if (text.charCodeAt(i) === CLOSE_OBJECT) return null;
  let found: ValueSpan | null = null;
  for (;;) {
    const keyEnd = stringEnd(text, i);
    const raw = text.slice(i + 1, keyEnd - 1);
    const name = raw.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
    i = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1); // past the colon
    const span = valueSpan(text, i);
    if (name === key) found = span;
    i = skipWhitespace(text, span.end);
    if (text.charCodeAt(i) !== COMMA) return found;
    i = skipWhitespace(text, i + 1);
  }
}
