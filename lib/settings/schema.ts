import * as v from 'valibot';
import { validSignalingUrl } from '../call/ice';
import { CALL_BITRATES_KBPS, DEFAULT_SIGNALING_URL, VIDEO_CODEC_PREFERENCES } from '../call/preferences';
import { BUBBLE_CORNERS, BUBBLE_SHAPES, BUBBLE_SIZES } from '../media/bubble';
import { FRAME_RATES, RESOLUTION_NAMES } from '../media/camera';
import { BACKDROP_PICTURES } from '../media/chroma/backdrop';
import { parseSelection, type FilterSelection } from '../media/filters';
import { AUDIO_CODECS, CONTAINERS, VIDEO_CODECS } from '../media/formats';
import { AUDIO_BITRATES_KBPS, QUALITY_PRESET_NAMES, RECORDING_FRAME_RATES, VIDEO_BITRATES_KBPS } from '../media/quality';

/**
 * The settings, in sections (recording, camera, call, background). Each
 * field carries its default as a fallback, so whatever storage holds — an older version's
 * shape, a hand edit — parses into valid settings, field by field.
 */
const recording = v.object({
  /** Mix a microphone into the recording. */
  microphone: v.fallback(v.boolean(), false),
  /** The chosen microphone's deviceId; '' means the system default. */
  microphoneId: v.fallback(v.pipe(v.string(), v.maxLength(512)), ''),
  /** Record the tab's (or the shared screen's) own sound. */
  tabAudio: v.fallback(v.boolean(), true),
  /** The resolution: the capture is limited to this preset's size. */
  quality: v.fallback(v.picklist(QUALITY_PRESET_NAMES), '720p'),
  frameRate: v.fallback(v.picklist(RECORDING_FRAME_RATES), 30),
  /** The file type. Whether the browser records it is checked when recording starts (lib/media/formats.ts). */
  container: v.fallback(v.picklist(CONTAINERS), 'mp4'),
  videoCodec: v.fallback(v.picklist(VIDEO_CODECS), 'h264'),
  audioCodec: v.fallback(v.picklist(AUDIO_CODECS), 'opus'),
  /** kb/s; 0 is automatic (the resolution's, scaled by the frame rate). */
  videoBitrateKbps: v.fallback(v.picklist(VIDEO_BITRATES_KBPS), 0),
  audioBitrateKbps: v.fallback(v.picklist(AUDIO_BITRATES_KBPS), 128),
  /** Seconds counted down before recording starts; the count is never recorded. */
  countdownSeconds: v.fallback(v.picklist([0, 3] as const), 0),
  /** The camera laid over a tab or screen recording (lib/media/bubble.ts). */
  cameraBubble: v.fallback(v.boolean(), false),
  bubbleCorner: v.fallback(v.picklist(BUBBLE_CORNERS), 'bottom-right'),
  bubbleSize: v.fallback(v.picklist(BUBBLE_SIZES), 'medium'),
  bubbleShape: v.fallback(v.picklist(BUBBLE_SHAPES), 'circle'),
  bubbleMirror: v.fallback(v.boolean(), true),
});

/** The camera Studio: the camera and microphone chosen, and how snapshots are taken. */
const camera = v.object({
  /** The chosen camera's deviceId; '' lets the browser choose. */
  deviceId: v.fallback(v.pipe(v.string(), v.maxLength(512)), ''),
  /** The microphone shown in the Studio's level meter; '' is the system default. */
  microphoneId: v.fallback(v.pipe(v.string(), v.maxLength(512)), ''),
  resolution: v.fallback(v.picklist(RESOLUTION_NAMES), '720p'),
  frameRate: v.fallback(v.picklist(FRAME_RATES), 30),
  /** Show (and save) the picture mirrored, like a mirror: what people expect of a selfie view. */
  mirror: v.fallback(v.boolean(), true),
  filters: v.fallback(v.pipe(v.unknown(), v.transform((raw): FilterSelection => parseSelection(raw))), {}),
  countdownSeconds: v.fallback(v.picklist([0, 3, 10] as const), 0),
  /** Shots per press of the shutter. */
  burst: v.fallback(v.picklist([1, 3, 5, 10] as const), 1),
});

/** Calls: where the signaling server is, the person's own ICE servers, and what is sent. */
const call = v.object({
  /** ws: or wss: URL of the signaling server. */
  signalingUrl: v.fallback(v.pipe(v.string(), v.maxLength(2048), v.check((url) => validSignalingUrl(url) !== null)), DEFAULT_SIGNALING_URL),
  /** The person's own STUN/TURN servers, one per line (lib/call/ice.ts); used besides the server's. */
  iceServers: v.fallback(v.pipe(v.string(), v.maxLength(4000)), ''),
  /** Only through TURN relays: the others never learn this machine's addresses. */
  relayOnly: v.fallback(v.boolean(), false),
  videoCodec: v.fallback(v.picklist(VIDEO_CODEC_PREFERENCES), 'auto'),
  maxBitrateKbps: v.fallback(v.picklist(CALL_BITRATES_KBPS), 0),
  /** The name others see; '' until the person gives one. */
  displayName: v.fallback(v.pipe(v.string(), v.maxLength(64)), ''),
  cameraId: v.fallback(v.pipe(v.string(), v.maxLength(512)), ''),
  microphoneId: v.fallback(v.pipe(v.string(), v.maxLength(512)), ''),
});

const level = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const channel = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255));

/** The virtual background: a green (or blue) screen keyed out and replaced (lib/media/chroma/). */
const background = v.object({
  /** Replace the screen behind the person in the camera's picture. */
  enabled: v.fallback(v.boolean(), false),
  /**
   * What shows instead: the colour below, a picture that comes with the product, the person's
   * own, or nothing (snapshots; the colour elsewhere); or, with no screen, the room blurred.
   */
  backdrop: v.fallback(v.picklist(['colour', ...BACKDROP_PICTURES, 'own', 'transparent', 'blur'] as const), 'colour'),
  /** #rrggbb. */
  colour: v.fallback(v.pipe(v.string(), v.regex(/^#[0-9a-f]{6}$/i)), '#2f4858'),
  /** What keys: the fastest measured on this machine, or the graphics card, SIMD or plain JS by hand. */
  engine: v.fallback(v.picklist(['auto', 'gpu', 'wasm', 'js'] as const), 'auto'),
  /** The key as last found or set; null: found from the picture (auto-key) when the camera starts. */
  key: v.fallback(
    v.nullable(
      v.object({
        keyColor: v.tuple([channel, channel, channel]),
        similarity: level,
        smoothness: level,
        spill: level,
      }),
    ),
    null,
  ),
});

export const SETTINGS_SECTIONS = { recording, camera, call, background } as const;

export type SettingsSection = keyof typeof SETTINGS_SECTIONS;
export type Settings = { [K in SettingsSection]: v.InferOutput<(typeof SETTINGS_SECTIONS)[K]> };
export type RecordingSettings = Settings['recording'];
export type CameraSettings = Settings['camera'];
export type CallSettings = Settings['call'];
export type BackgroundSettings = Settings['background'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Valid settings from anything: what is valid is kept, the rest falls back to the defaults. */
export function parseSettings(raw: unknown): Settings {
  const stored = isObject(raw) ? raw : {};
  const parsed = {} as Record<SettingsSection, unknown>;
  for (const [name, schema] of Object.entries(SETTINGS_SECTIONS) as [SettingsSection, (typeof SETTINGS_SECTIONS)[SettingsSection]][]) {
    const section = stored[name];
    parsed[name] = v.parse(schema, isObject(section) ? section : {});
  }
  return parsed as Settings;
}

export const DEFAULT_SETTINGS: Settings = parseSettings({});

/** `current` with `patch` applied to one section; an invalid value in the patch leaves that field as it was. */
export function patchSettings<K extends SettingsSection>(current: Settings, section: K, patch: Partial<Settings[K]>): Settings {
  const merged = parseSettings({ ...current, [section]: { ...current[section], ...patch } });
  // parseSettings falls back to the default for an invalid field; the user's current value is the better fallback.
  const result = { ...merged[section] } as Record<string, unknown>;
  for (const [field, value] of Object.entries(patch)) {
    // Settings are plain data: compare by value (a parsed object is a new object).
    if (JSON.stringify(result[field]) !== JSON.stringify(value)) result[field] = (current[section] as Record<string, unknown>)[field];
  }
  return { ...current, [section]: result };
}
