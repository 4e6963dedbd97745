/**
 * What peers of a call put in signaling protocol v1's `signal.data`, and what they send on the
 * `chat` data channel: the call payloads of server/PROTOCOL.md. Everything here comes from the
 * network, so it is validated field by field; anything else is dropped.
 *
 * Only `description` and `candidate` are needed for a call. `status` (is a screen being shared)
 * and `hello` (who this is across reconnects) are optional: a peer that never sends them still
 * gets a working call.
 */

export type DescriptionType = 'offer' | 'answer' | 'rollback';

export type CallPayload =
  | { kind: 'description'; description: { type: DescriptionType; sdp: string } }
  | { kind: 'candidate'; candidate: CandidateInit | null }
  | { kind: 'status'; sharing: boolean }
  | { kind: 'hello'; identity: string }
  | { kind: 'bye' };

export interface CandidateInit {
  candidate: string;
  sdpMid?: string | null;
  sdpMLineIndex?: number | null;
  usernameFragment?: string | null;
}

/** A message on the `chat` data channel. */
export interface ChatMessage {
  type: 'chat';
  text: string;
}

/** Longer SDP than a signaling frame can carry is refused anyway (64 KiB); this keeps a margin for the envelope. */
export const MAX_SDP_LENGTH = 60_000;
export const MAX_CANDIDATE_LENGTH = 1024;
const MAX_MID_LENGTH = 64;
const MAX_UFRAG_LENGTH = 256;
const MAX_MLINE_INDEX = 1023;
/** A participant's identity for the length of a call: random, kept across signaling reconnects. */
export const IDENTITY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
/** A chat message is at most this many characters; longer ones are refused, not cut. */
export const MAX_CHAT_LENGTH = 4000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown, max: number): value is string | null | undefined =>
  value === undefined || value === null || (typeof value === 'string' && value.length <= max);

function parseCandidate(value: unknown): CandidateInit | null | undefined {
  if (value === null) return null;
  if (!isObject(value)) return undefined;
  const { candidate, sdpMid, sdpMLineIndex, usernameFragment } = value;
  if (typeof candidate !== 'string' || candidate.length > MAX_CANDIDATE_LENGTH) return undefined;
  if (!optionalString(sdpMid, MAX_MID_LENGTH) || !optionalString(usernameFragment, MAX_UFRAG_LENGTH)) return undefined;
  if (sdpMLineIndex !== undefined && sdpMLineIndex !== null && !(Number.isInteger(sdpMLineIndex) && (sdpMLineIndex as number) >= 0 && (sdpMLineIndex as number) <= MAX_MLINE_INDEX)) return undefined;
  // An empty candidate string is the older way of saying "end of candidates".
  if (candidate === '') return null;
  return {
    candidate,
    ...(sdpMid !== undefined && { sdpMid: sdpMid as string | null }),
    ...(sdpMLineIndex !== undefined && { sdpMLineIndex: sdpMLineIndex as number | null }),
    ...(usernameFragment !== undefined && { usernameFragment: usernameFragment as string | null }),
  };
}

/** A call payload from a peer's signal, or null when it is not one (unknown kinds are ignored, not errors). */
export function parseCallPayload(data: unknown): CallPayload | null {
  if (!isObject(data)) return null;
  switch (data.kind) {
    case 'description': {
      const description = data.description;
      if (!isObject(description)) return null;
      const { type, sdp } = description;
      if (type !== 'offer' && type !== 'answer' && type !== 'rollback') return null;
      if (type === 'rollback') return { kind: 'description', description: { type, sdp: '' } };
      if (typeof sdp !== 'string' || sdp.length === 0 || sdp.length > MAX_SDP_LENGTH) return null;
      return { kind: 'description', description: { type, sdp } };
    }
    case 'candidate': {
      if (!('candidate' in data)) return null;
      const candidate = parseCandidate(data.candidate);
      return candidate === undefined ? null : { kind: 'candidate', candidate };
    }
    case 'status':
      return typeof data.sharing === 'boolean' ? { kind: 'status', sharing: data.sharing } : null;
    case 'bye':
      return { kind: 'bye' };
    case 'hello':
      return typeof data.identity === 'string' && IDENTITY_PATTERN.test(data.identity) ? { kind: 'hello', identity: data.identity } : null;
    default:
      return null;
  }
}

/** A chat message from the data channel's text, or null. The text is shown as text, never as markup. */
export function parseChatMessage(text: unknown): ChatMessage | null {
  if (typeof text !== 'string' || text.length > MAX_CHAT_LENGTH * 6 + 64) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value) || value.type !== 'chat' || typeof value.text !== 'string') return null;
  const trimmed = value.text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_CHAT_LENGTH) return null;
  return { type: 'chat', text: trimmed };
}
