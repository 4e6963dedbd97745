import { browser, type Browser } from 'wxt/browser';
import type { ShareTabResult, TabShareGrant } from '../call-share/background';
import type { BubblePlacement } from '../media/bubble';
import type { CaptureSpec, VideoSourceKind } from '../media/capture';
import type { BackdropChoice } from '../media/chroma/backdrop';
import type { KeyEnginePreference } from '../media/chroma/choose';
import type { ChromaKeySettings } from '../media/chroma/key';
import type { RecordingFormat } from '../media/formats';
import type { RecordingError, RecordingSource, SessionEvent } from '../recording/state';
import type { SnapshotResult, TabFrameResult } from '../snapshot/tab';

/**
 * The one message protocol between the extension's contexts. Each context owns a map of the
 * requests it answers: the key is the message type, `request` what is sent, `response` what
 * comes back. Everything goes through sendTo/handle below, so a typo is a type error.
 * Offscreen verbs are namespaced by the job that answers them (`recorder/*`; more jobs later).
 */
export type StartResult = { ok: true } | { ok: false; error: RecordingError };

type Empty = Record<string, never>;

export interface BackgroundProtocol {
  /** From the popup: start recording a source; the tab is the one the user clicked on. */
  'recording/start': { request: { source: RecordingSource; tabId: number | null }; response: StartResult };
  /** Stops a recording, or cancels one still starting (a share picker left open). */
  'recording/stop': { request: Empty; response: void };
  'recording/pause': { request: Empty; response: void };
  'recording/resume': { request: Empty; response: void };
  /** The user has read the last error or notice. */
  'recording/dismiss': { request: Empty; response: void };
  /** From the offscreen recorder: what happened to the session it records. */
  'recorder/event': { request: { event: SessionEvent }; response: void };
  /** From the popup: one frame of the tab the user clicked on, saved into the Library. */
  'snapshot/tab': { request: { tabId: number | null }; response: SnapshotResult };
  /** From the popup: share the tab the user clicked on in a call (the call page takes it). */
  'call/share-tab': { request: { tabId: number | null }; response: ShareTabResult };
  /** From a call page: the tab share waiting for it, if any. */
  'call/take-tab-share': { request: Empty; response: TabShareGrant | null };
}

/** What the call page answers. */
export interface CallPageProtocol {
  /** A tab share waits: the page asks for it ('call/take-tab-share'). */
  'call/tab-share-waiting': { request: Empty; response: void };
}

/** Everything the recorder needs for one session, decided by the service worker. */
export interface RecorderStartRequest {
  sessionId: string;
  /** The picture (and the tab's or screen's own sound; a call's mixed sound). */
  capture: Extract<CaptureSpec, { kind: VideoSourceKind }>;
  /** A microphone mixed in, or none. */
  microphone: Extract<CaptureSpec, { kind: 'microphone' }> | null;
  /** The type chosen in Options; the recorder checks it against what the browser records. */
  format: RecordingFormat;
  videoBitsPerSecond: number;
  audioBitsPerSecond: number;
  /** The most frames a second asked of the capture. */
  frameRate: number;
  countdownSeconds: number;
  title: string;
  /** The virtual background on the camera recorded (alone, or in the bubble); none when off. */
  background: { key: ChromaKeySettings | null; colour: readonly [number, number, number]; backdrop: BackdropChoice; engine: KeyEnginePreference } | null;
  /** The camera laid over a tab or screen recording; none when off. */
  bubble: { camera: Extract<CaptureSpec, { kind: 'camera' }>; placement: BubblePlacement } | null;
}

type SessionRequest = { sessionId: string };

export interface OffscreenProtocol {
  /** Answered once the document's script listens. */
  'host/ping': { request: Empty; response: 'pong' };
  'recorder/start': { request: RecorderStartRequest; response: StartResult };
  'recorder/stop': { request: SessionRequest; response: void };
  'recorder/pause': { request: SessionRequest; response: void };
  'recorder/resume': { request: SessionRequest; response: void };
  /** Gives up a start still waiting (for the share picker, say); a recording under way is not affected. */
  'recorder/cancel': { request: SessionRequest; response: void };
  /** Draws one frame of a tab capture and saves it into the Library. */
  'snapshot/tab': { request: { streamId: string; title: string }; response: TabFrameResult };
  /** Saves a picture of a tab the service worker took itself (a data: URL). */
  'snapshot/image': { request: { dataUrl: string; title: string }; response: SnapshotResult };
}

interface Targets {
  background: BackgroundProtocol;
  offscreen: OffscreenProtocol;
  call: CallPageProtocol;
}
type Target = keyof Targets;
type Protocol = Targets[Target];

export type RequestOf<P, K extends keyof P> = P[K] extends { request: infer R } ? R : never;
export type ResponseOf<P, K extends keyof P> = P[K] extends { response: infer R } ? R : never;

/** The request travels nested, so no field of it can overwrite the envelope's own. */
interface Envelope {
  target: Target;
  type: string;
  request: unknown;
}

export type Handlers<P extends Protocol> = {
  [K in keyof P]: (request: RequestOf<P, K>, sender: Browser.runtime.MessageSender) => ResponseOf<P, K> | Promise<ResponseOf<P, K>>;
};

export type SendTo = <T extends Target, K extends keyof Targets[T] & string>(
  target: T,
  type: K,
  request: RequestOf<Targets[T], K>,
) => Promise<ResponseOf<Targets[T], K>>;

export const sendTo: SendTo = (target, type, request) => {
  const envelope: Envelope = { target, type, request };
  return browser.runtime.sendMessage(envelope) as never;
};

/**
 * Answers the messages addressed to `target`. runtime messages reach every extension page, so
 * each context only answers its own, and only from this extension.
 */
export function handle<T extends Target>(target: T, handlers: Handlers<Targets[T]>): () => void {
  const listener = (message: unknown, sender: Browser.runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id || !isEnvelope(message) || message.target !== target) return undefined;
    const handler = (handlers as Record<string, (request: unknown, s: Browser.runtime.MessageSender) => unknown>)[message.type];
    if (!handler || !Object.hasOwn(handlers, message.type)) return undefined;
    return Promise.resolve(handler(message.request, sender));
  };
  browser.runtime.onMessage.addListener(listener);
  return () => browser.runtime.onMessage.removeListener(listener);
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== 'object' || value === null) return false;
  const { target, type, request } = value as Record<string, unknown>;
  return typeof target === 'string' && typeof type === 'string' && typeof request === 'object' && request !== null;
}
