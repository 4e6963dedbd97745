import type { MessageKey } from '../i18n';
import { CAPTURE_ERROR_MESSAGE } from '../media/errors';
import type { RecordingErrorCode, RecordingNotice } from './state';

/** What the user reads for each error: what happened and what to do. */
export const ERROR_MESSAGE: Record<RecordingErrorCode, MessageKey> = {
  ...CAPTURE_ERROR_MESSAGE,
  'uncapturable-page': 'errorUncapturablePage',
  'start-timed-out': 'errorStartTimedOut',
  'storage-full': 'errorStorageFull',
  'storage-write-failed': 'errorStorageWriteFailed',
  busy: 'errorBusy',
  'recorder-crashed': 'errorRecorderCrashed',
};

export const NOTICE_MESSAGE: Record<RecordingNotice, MessageKey> = {
  'storage-low': 'noticeStorageLow',
  'recording-saved': 'noticeRecordingSaved',
  'recording-interrupted': 'noticeRecordingInterrupted',
};
