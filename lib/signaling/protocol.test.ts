import { describe, expect, it } from 'vitest';
import { depthOf, parseClientMessage, parseServerMessage } from './protocol';

describe('parseClientMessage', () => {
  it('accepts the four message types and drops unknown fields', () => {
    expect(parseClientMessage('{"type":"join","room":"a-1_B","name":"Ann","password":"p","x":1}')).toEqual({ ok: true, message: { type: 'join', room: 'a-1_B', name: 'Ann', password: 'p' } });
    expect(parseClientMessage(`{"type":"signal","to":"${'a'.repeat(22)}","data":{"sdp":"x"}}`)).toEqual({ ok: true, message: { type: 'signal', to: 'a'.repeat(22), data: { sdp: 'x' } } });
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

describe('depthOf', () => {
  it('measures deep nesting without recursion', () => {
    expect(depthOf({ a: { b: [1] } }, 100)).toBe(3);
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expect(depthOf(deep, 32)).toBe(33);
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
