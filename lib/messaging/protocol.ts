import { browser, type Browser } from 'wxt/browser';
import type { RecordingSettings } from '../settings';
import type { RecordingError, RecordingEvent, RecordingSource } from '../recording/state';

/**
 * The one message protocol between the extension's contexts. Each context owns a map of the
 * requests it answers: the key is the message type, `request` what is sent, `response` what
 * comes back. Everything goes through sendTo/handle below, so a typo is a type error.
 */
/** The offscreen recorder keeps a port of this name open; its closing means the recorder died. */
export const RECORDER_PORT = 'recorder-alive';

export type StartResult = { ok: true } | { ok: false; error: RecordingError };

export interface BackgroundProtocol {
  /** From the popup: start recording a source; the tab is the one the user clicked on. */
  'recording/start': { request: { source: RecordingSource; tabId: number | null }; response: StartResult };
  'recording/stop': { request: Record<string, never>; response: void };
  'recording/pause': { request: Record<string, never>; response: void };
  'recording/resume': { request: Record<string, never>; response: void };
  /** The user has read the last error or notice. */
  'recording/dismiss': { request: Record<string, never>; response: void };
  /** From the offscreen recorder: what happened to the session it records. */
  'recorder/event': { request: { sessionId: string; event: RecordingEvent }; response: void };
}

export interface RecorderStartRequest {
  sessionId: string;
  source: RecordingSource;
  /** A tabCapture stream id, for source 'tab'. */
  streamId: string | null;
  settings: RecordingSettings;
  title: string;
}

export interface OffscreenProtocol {
  'offscreen/ping': { request: Record<string, never>; response: 'pong' };
  'offscreen/start': { request: RecorderStartRequest; response: StartResult };
  'offscreen/stop': { request: Record<string, never>; response: void };
  'offscreen/pause': { request: Record<string, never>; response: void };
  'offscreen/resume': { request: Record<string, never>; response: void };
}

interface Targets {
  background: BackgroundProtocol;
  offscreen: OffscreenProtocol;
}
type Target = keyof Targets;
type Protocol = Targets[Target];

type Envelope<T extends Target, K extends keyof Targets[T]> = { target: T; type: K } & RequestOf<Targets[T], K>;
type RequestOf<P, K extends keyof P> = P[K] extends { request: infer R } ? R : never;
type ResponseOf<P, K extends keyof P> = P[K] extends { response: infer R } ? R : never;

export type Handlers<P extends Protocol> = {
  [K in keyof P]: (request: RequestOf<P, K>, sender: Browser.runtime.MessageSender) => ResponseOf<P, K> | Promise<ResponseOf<P, K>>;
};

export function sendTo<T extends Target, K extends keyof Targets[T] & string>(
  target: T,
  type: K,
  request: RequestOf<Targets[T], K>,
): Promise<ResponseOf<Targets[T], K>> {
  const envelope = { ...(request as object), target, type } as Envelope<T, K>;
  return browser.runtime.sendMessage(envelope) as Promise<ResponseOf<Targets[T], K>>;
}

/**
 * Answers the messages addressed to `target`. runtime messages reach every extension page, so
 * each context only answers its own, and only from this extension.
 */
export function handle<T extends Target>(target: T, handlers: Handlers<Targets[T]>): () => void {
  const listener = (message: unknown, sender: Browser.runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id || !isEnvelope(message) || message.target !== target) return undefined;
    const handler = (handlers as Record<string, (request: unknown, s: Browser.runtime.MessageSender) => unknown>)[
      message.type
    ];
    if (!handler) return undefined;
    return Promise.resolve(handler(message, sender));
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

function isEnvelope(value: unknown): value is { target: string; type: string } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { target?: unknown }).target === 'string' &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}
