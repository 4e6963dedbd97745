import { formatDuration, recordingBadgeText } from '../format';
import { t } from '../i18n';
import { elapsedMs, type RecordingState } from './state';

const BADGE_COLOR = { recording: '#d93025', paused: '#f29900', other: '#5f6368' } as const;

export interface BadgeView {
  text: string;
  title: string;
  color: string;
  /** When to draw again (the countdown ticks on its own); null when nothing changes by itself. */
  redrawInMs: number | null;
}

/** The toolbar badge for a state: REC and the time, ❚❚ when paused, the countdown, ! after an error. */
export function badgeView(state: RecordingState, now: number): BadgeView {
  const view: BadgeView = { text: '', title: t('actionTitle'), color: BADGE_COLOR.other, redrawInMs: null };
  switch (state.status) {
    case 'recording':
      return { ...view, text: recordingBadgeText(elapsedMs(state, now)), title: t('badgeTitleRecording', [formatDuration(elapsedMs(state, now))]), color: BADGE_COLOR.recording };
    case 'paused':
      return { ...view, text: t('badgePaused'), title: t('badgeTitlePaused', [formatDuration(elapsedMs(state, now))]), color: BADGE_COLOR.paused };
    case 'countdown': {
      const left = Math.max(0, (state.countdownEndsAt ?? now) - now);
      return { ...view, text: String(Math.max(1, Math.ceil(left / 1000))), color: BADGE_COLOR.recording, redrawInMs: (left % 1000) + 20 };
    }
    case 'starting':
    case 'finalizing':
      return { ...view, text: '…' };
    case 'idle':
      return state.error ? { ...view, text: '!', color: BADGE_COLOR.recording } : view;
  }
}
