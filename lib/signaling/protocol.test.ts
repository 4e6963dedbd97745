import { describe, expect, it } from 'vitest';
import { MAX_DATA_DEPTH, parseClientMessage, parseServerMessage } from './protocol';

describe('parseClientMessage', () => {
  it('accepts the four message types and drops unknown fields', () => {
    expect(parseClientMessage('{"type":"join","room":"a-1_B","name":"Ann","password":"p","x":1}')).toEqual({ ok: true, message: { type: 'join', room: 'a-1_B', name: 'Ann', password: 'p' } });
    const signal = `{"type":"signal","to":"${'a'.repeat(22)}","data":{"sdp":"x"}}`;
    expect(parseClientMessage(signal)).toEqual({
      ok: true,
      message: { type: 'signal', to: 'a'.repeat(22), data: { sdp: 'x' }, dataSpan: { start: signal.indexOf('{"sdp"'), end: signal.length - 1, depth: 1 } },
    });
    expect(parseClientMessage('{"type":"leave"}')).toEqual({ ok: true, message: { type: 'leave' } });
    expect(parseClientMessage('{"type":"ping"}')).toEqual({ ok: true, message: { type: 'ping' } });
  });

  it('names what is wrong', () => {
    expect(parseClientMessage('{')).toMatchObject({ ok: false, code: 'BAD_MESSAGE', reason: 'not JSON' });
    expect(parseClientMessage('[]')).toMatchObject({ ok: false, code: 'BAD_MESSAGE' });
    expect(parseClientMessage('{"type":"hello"}')).toMatchObject({ ok: false, code: 'UNKNOWN_TYPE' });
    expect(parseClientMessage('{"type":"join","room":"a b"}')).toMatchObject({ ok: false, reason: expect.stringContaining('room') });
    expect(parseClientMessage('{"type":"signal","to":"short","data":{}}')).toMatchObject({ ok: false, reason: expect.stringContaining('to') });
  });
});

describe('signal data depth', () => {
  it(`relays data up to ${MAX_DATA_DEPTH} deep and refuses deeper`, () => {
    const signal = (depth: number) => `{"type":"signal","to":"${'a'.repeat(22)}","data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    expect(parseClientMessage(signal(MAX_DATA_DEPTH))).toMatchObject({ ok: true });
    expect(parseClientMessage(signal(MAX_DATA_DEPTH + 1))).toMatchObject({ ok: false, code: 'BAD_MESSAGE', reason: expect.stringContaining('deeper') });
  });
});

describe('parseServerMessage', () => {
  it('keeps only well-formed server messages', () => {
    expect(parseServerMessage('{"type":"peer-left","id":"x"}')).toEqual({ type: 'peer-left', id: 'x' });
    expect(parseServerMessage('{"type":"peer-joined","peer":{"id":1}}')).toBeNull();
    expect(parseServerMessage('{"type":"error","code":"NOPE","message":"x"}')).toBeNull();
    expect(parseServerMessage('{"type":"signal","from":"a","data":"<script>"}')).toBeNull();
    expect(parseServerMessage('nonsense')).toBeNull();
  });
});
