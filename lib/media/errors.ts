import type { MessageKey } from '../i18n';
import type { CaptureKind } from './capture';

/** What can go wrong getting a camera, microphone, tab or screen, in terms a user acts on. */
export type CaptureErrorCode =
  | 'permission-denied'
  | 'share-cancelled'
  | 'no-camera'
  | 'no-microphone'
  | 'device-in-use'
  | 'facing-unavailable'
  | 'capture-failed';

export interface CaptureError {
  code: CaptureErrorCode;
  /** The browser's own words ("NotFoundError: Requested device not found"), shown small under ours. */
  detail?: string;
}

/** Thrown by acquire(): the explained error, so callers need not map DOMExceptions again. */
export class CaptureFailure extends Error {
  constructor(readonly error: CaptureError) {
    super(error.detail ?? error.code);
    this.name = 'CaptureFailure';
  }
}

/**
 * Maps what getUserMedia/getDisplayMedia threw to what happened. A machine without a camera
 * throws NotFoundError: that is "no camera was found", never "access was not granted".
 */
export function explainCaptureError(error: unknown, kind: CaptureKind): CaptureError {
  if (error instanceof CaptureFailure) return error.error;
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      // Cancelling Chrome's share picker is a NotAllowedError too, and not a permission problem.
      return { code: kind === 'screen' ? 'share-cancelled' : 'permission-denied', detail };
    case 'NotFoundError':
    case 'OverconstrainedError':
      if (kind === 'camera') return { code: 'no-camera', detail };
      if (kind === 'microphone') return { code: 'no-microphone', detail };
      return { code: 'capture-failed', detail };
    case 'NotReadableError':
    case 'AbortError':
      if (kind === 'camera' || kind === 'microphone') return { code: 'device-in-use', detail };
      return { code: 'capture-failed', detail };
    default:
      return { code: 'capture-failed', detail };
  }
}

/** What the user reads for each capture error: what happened and what to do. */
export const CAPTURE_ERROR_MESSAGE: Record<CaptureErrorCode, MessageKey> = {
  'permission-denied': 'errorPermissionDenied',
  'share-cancelled': 'errorShareCancelled',
  'no-camera': 'errorNoCamera',
  'no-microphone': 'errorNoMicrophone',
  'device-in-use': 'errorDeviceInUse',
  'facing-unavailable': 'errorFacingUnavailable',
  'capture-failed': 'errorCaptureFailed',
};
