import { acquire, type CaptureSource } from './capture';
import { CaptureFailure } from './errors';

/**
 * The camera, as the Studio uses it: resolution presets asked as `ideal` (a camera that cannot
 * reach them still works), a remembered device that falls back gracefully when it is gone, and
 * front/back switching that says plainly when a device has no such camera.
 */
export const RESOLUTIONS = {
  '360p': { width: 640, height: 360 },
  '720p': { width: 1280, height: 720 },
  '1080p': { width: 1920, height: 1080 },
  '4k': { width: 3840, height: 2160 },
} as const;
export type Resolution = keyof typeof RESOLUTIONS;
export const RESOLUTION_NAMES = Object.keys(RESOLUTIONS) as Resolution[];

export const FRAME_RATES = [15, 30, 60] as const;
export type FrameRate = (typeof FRAME_RATES)[number];

export type Facing = 'user' | 'environment';

export interface CameraChoice {
  /** The remembered camera; '' for the browser's choice. */
  deviceId: string;
  resolution: Resolution;
  frameRate: FrameRate;
}

/** How closely a camera matched the choice: the remembered device, another one because it was gone. */
export type CameraMatch = 'chosen' | 'fallback';

export function cameraConstraints(choice: CameraChoice): MediaTrackConstraints {
  const { width, height } = RESOLUTIONS[choice.resolution];
  return { width: { ideal: width }, height: { ideal: height }, frameRate: { ideal: choice.frameRate } };
}

/**
 * Opens the chosen camera; when it is gone (unplugged, or an id from another machine), any
 * camera — and says it fell back. A machine with no camera at all fails with 'no-camera'.
 */
export async function openCamera(choice: CameraChoice, open: typeof acquire = acquire): Promise<{ source: CaptureSource; match: CameraMatch }> {
  const constraints = cameraConstraints(choice);
  if (choice.deviceId) {
    try {
      return { source: await open({ kind: 'camera', deviceId: choice.deviceId, constraints }), match: 'chosen' };
    } catch (error) {
      if (!(error instanceof CaptureFailure) || error.error.code !== 'no-camera') throw error;
    }
    return { source: await open({ kind: 'camera', deviceId: null, constraints }), match: 'fallback' };
  }
  return { source: await open({ kind: 'camera', deviceId: null, constraints }), match: 'chosen' };
}

/**
 * The front or back camera, `exact`: a device without one throws OverconstrainedError with an
 * empty message in Chromium, so the failure names the constraint itself ('facing-unavailable').
 */
export async function openFacing(choice: CameraChoice, facing: Facing, open: typeof acquire = acquire): Promise<CaptureSource> {
  try {
    return await open({ kind: 'camera', deviceId: null, constraints: { ...cameraConstraints(choice), facingMode: { exact: facing } } });
  } catch (error) {
    if (error instanceof CaptureFailure && error.error.code === 'no-camera') {
      throw new CaptureFailure({ code: 'facing-unavailable', detail: `OverconstrainedError: facingMode ${facing}` });
    }
    throw error;
  }
}

/** One row of "what the camera gives": the name, what was obtained, what this camera can do. */
export interface TrackFactRow {
  name: (typeof FACTS)[number];
  obtained: string;
  capability: string;
  /** Whether the browser supports constraining it at all. */
  supported: boolean;
}

const UNITS: Record<string, string> = { width: 'px', height: 'px', frameRate: 'fps', aspectRatio: '', sampleRate: 'Hz', sampleSize: 'bit', latency: 's' };
const FACTS = ['width', 'height', 'frameRate', 'aspectRatio', 'facingMode', 'resizeMode', 'deviceId', 'groupId'] as const;

function show(value: unknown, unit: string): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') return `${Number.isInteger(value) ? value : value.toFixed(2)}${unit ? ` ${unit}` : ''}`;
  if (Array.isArray(value)) return value.length > 0 ? value.join(', ') : '—';
  if (typeof value === 'object') {
    const { min, max } = value as { min?: number; max?: number };
    if (min !== undefined || max !== undefined) return `${show(min, '')} – ${show(max, unit)}`;
  }
  const text = String(value);
  return text.length > 24 ? `${text.slice(0, 12)}…` : text;
}

/** Readable facts about a video track: getSettings(), getCapabilities() and getSupportedConstraints(), with units. */
export function trackFacts(settings: MediaTrackSettings, capabilities: MediaTrackCapabilities, supported: MediaTrackSupportedConstraints): TrackFactRow[] {
  return FACTS.map((name) => ({
    name,
    obtained: show((settings as Record<string, unknown>)[name], UNITS[name] ?? ''),
    capability: show((capabilities as Record<string, unknown>)[name], UNITS[name] ?? ''),
    supported: Boolean((supported as Record<string, boolean | undefined>)[name]),
  }));
}
