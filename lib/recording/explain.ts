import type { MessageKey } from '../i18n';
import type { RecordingErrorCode, RecordingNotice } from './state';

/** What the user reads for each error: what happened and what to do. */
export const ERROR_MESSAGE: Record<RecordingErrorCode, MessageKey> = {
  'uncapturable-page': 'errorUncapturablePage',
  'permission-denied': 'errorPermissionDenied',
  'no-microphone': 'errorNoMicrophone',
  'no-camera': 'errorNoCamera',
  'share-cancelled': 'errorShareCancelled',
  'storage-full': 'errorStorageFull',
  'storage-write-failed': 'errorStorageWriteFailed',
  busy: 'errorBusy',
  'capture-failed': 'errorCaptureFailed',
  'recorder-crashed': 'errorRecorderCrashed',
};

export const NOTICE_MESSAGE: Record<RecordingNotice, MessageKey> = {
  'storage-low': 'noticeStorageLow',
  'recording-saved': 'noticeRecordingSaved',
  'recording-interrupted': 'noticeRecordingInterrupted',
};
