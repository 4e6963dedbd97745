import { describe, expect, it } from 'vitest';
import { memberValueSpan } from './raw-json';

const memberValueText = (text: string, key: string) => {
  const span = memberValueSpan(text, key);
  return span && text.slice(span.start, span.end);
};

/** How many objects/arrays deep a parsed value nests, the plain recursive way. */
const depthOf = (value: unknown): number =>
  value !== null && typeof value === 'object' ? 1 + Math.max(0, ...Object.values(value).map(depthOf)) : 0;

/** A deterministic generator of awkward JSON: quotes, backslashes, escapes, unicode, nesting. */
function generator(seed: number) {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const strings = ['', 'a', '"', '\\', '\\"', '"\\', '}', '{', ']', '[', ',', ':', 'data', 'd\u0061ta', '\u2028', '😀', '\r\n', 'v=0\r\no=- 1 2 IN IP4 127.0.0.1'];
  const value = (depth: number): unknown => {
    const kind = depth > 4 ? Math.floor(random() * 4) : Math.floor(random() * 6);
    if (kind === 0) return pick(strings) + pick(strings);
    if (kind === 1) return Math.round(random() * 1e6) / 100 - 5000;
    if (kind === 2) return pick([true, false, null]);
    if (kind === 3) return random() * 1e300;
    if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [pick(strings), value(depth + 1)]));
  };
  const space = () => pick(['', '', ' ', '\n', '\t ', '\r\n  ']);
  /** Serializes with random whitespace between tokens. */
  const write = (v: unknown): string => {
    if (Array.isArray(v)) return `[${space()}${v.map((x) => write(x)).join(`${space()},${space()}`)}${space()}]`;
    if (v !== null && typeof v === 'object') {
      return `{${space()}${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}${space()}:${space()}${write(x)}`).join(`${space()},${space()}`)}${space()}}`;
    }
    return JSON.stringify(v);
  };
  return { value, write, random, pick, strings };
}

describe('memberValueSpan', () => {
  it('finds exactly the value JSON.parse finds, and its depth, over thousands of awkward objects', () => {
    const g = generator(7);
    for (let n = 0; n < 5000; n++) {
      const members: [string, unknown][] = [];
      for (let k = Math.floor(g.random() * 5); k > 0; k--) members.push([g.pick(['type', 'to', 'data', 'x', 'd\\u0061ta', '"']), g.value(0)]);
      const text = `${g.pick(['', ' ', '\n'])}{${members.map(([k, v]) => `${k.startsWith('d\\') ? `"${k}"` : JSON.stringify(k)} : ${g.write(v)}`).join(' ,\n')}}`;
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const span = memberValueSpan(text, 'data');
      if (!Object.hasOwn(parsed, 'data')) {
        expect(span, text).toBeNull();
      } else {
        expect(span, text).not.toBeNull();
        expect(JSON.parse(text.slice(span!.start, span!.end)), text).toEqual(parsed.data);
        expect(span!.depth, text).toBe(depthOf(parsed.data));
      }
    }
  });

  it('takes the last of duplicate keys, as JSON.parse does, and decodes key names', () => {
    expect(memberValueText('{"data":{"a":1},"data":{"b":2}}', 'data')).toBe('{"b":2}');
    expect(memberValueText('{"d\\u0061ta":{"c":3}}', 'data')).toBe('{"c":3}');
    expect(memberValueText('{"datum":1}', 'data')).toBeNull();
    expect(memberValueText('{}', 'data')).toBeNull();
    expect(memberValueText('[1]', 'data')).toBeNull();
  });

  it('keeps the value as sent, escapes and all', () => {
    const text = '{"type":"signal","data":{"sdp":"v=0\\r\\na=\\"x\\"\\\\","n":[1, {"}":"]"}]}  ,"to":"p"}';
    expect(memberValueText(text, 'data')).toBe('{"sdp":"v=0\\r\\na=\\"x\\"\\\\","n":[1, {"}":"]"}]}');
  });

  it('measures deep nesting without recursion', () => {
    const deep = `{"data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(memberValueSpan(deep, 'data')).toEqual({ start: 8, end: deep.length - 1, depth: 100_000 });
    expect(memberValueSpan('{"data":{"a":[1,{"b":"[[["}]}}', 'data')!.depth).toBe(3);
  });
});
