import { useEffect, useState } from 'preact/hooks';
import { Notice } from '@/components/Notice';
import { useObjectUrl, useRecordingState } from '@/components/hooks';
import type { RecordingEntry } from '@/lib/db';
import { formatBytes, formatDuration } from '@/lib/format';
import { t, uiLanguage } from '@/lib/i18n';
import { deleteRecording, listRecordings, recordingFile, renameRecording } from '@/lib/library/store';
import { sendTo } from '@/lib/messaging/protocol';
import { ERROR_MESSAGE } from '@/lib/recording/explain';
import { recoverOrphanedSessions } from '@/lib/recording/finalize';
import { downloadFileName } from '@/lib/recording/naming';
import { RecordingCard } from './RecordingCard';

export function Library() {
  const [entries, setEntries] = useState<RecordingEntry[] | null>(null);
  const [recovered, setRecovered] = useState(0);
  // The service worker opens library.html#<id> on a recording that just finished.
  const [selected, setSelected] = useState<string | null>(decodeURIComponent(location.hash.slice(1)) || null);
  const [autoplay, setAutoplay] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const state = useRecordingState();

  const reload = () => listRecordings().then(setEntries);

  useEffect(() => {
    void reload();
    // A recording cut short by a crash or a closed browser is rebuilt from its chunks here,
    // then listed with the rest.
    void recoverOrphanedSessions().then((list) => {
      setRecovered(list.length);
      if (list.length > 0) void reload();
    });
  }, []);
  // A recording that finishes while the Library is open shows up at once.
  const lastRecordingId = state?.lastRecordingId ?? null;
  useEffect(() => {
    if (lastRecordingId) void reload();
  }, [lastRecordingId]);

  const guard = (work: () => Promise<unknown>) => work().catch((error) => setFailure(String(error)));

  const onDownload = (entry: RecordingEntry) =>
    guard(async () => {
      const url = URL.createObjectURL(await recordingFile(entry));
      const link = document.createElement('a');
      link.href = url;
      link.download = downloadFileName(entry.title, 'webm');
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  const onRename = (entry: RecordingEntry, title: string) => guard(async () => (await renameRecording(entry.id, title)) && reload());
  const onDelete = (entry: RecordingEntry) =>
    guard(async () => {
      if (!confirm(t('confirmDelete', [entry.title]))) return;
      await deleteRecording(entry.id);
      if (selected === entry.id) setSelected(null);
      await reload();
    });

  const current = entries?.find((e) => e.id === selected) ?? null;
  return (
    <main>
      <h1>{t('libraryTitle')}</h1>
      {new URLSearchParams(location.search).has('welcome') && <Notice kind="info" message={t('welcome')} />}
      {recovered > 0 && <Notice kind="info" message={t('noticeRecovered', [String(recovered)])} />}
      {state?.error && (
        <Notice
          kind="error"
          message={t(ERROR_MESSAGE[state.error.code])}
          detail={state.error.detail}
          onDismiss={() => void sendTo('background', 'recording/dismiss', {})}
          dismissLabel={t('dismiss')}
        />
      )}
      {failure && <Notice kind="error" message={t('errorLibrary')} detail={failure} onDismiss={() => setFailure(null)} dismissLabel={t('dismiss')} />}
      {current && <Player entry={current} autoplay={autoplay} />}
      {entries && entries.length === 0 && <p class="empty">{t('libraryEmpty')}</p>}
      {entries && entries.length > 0 && (
        <ul class="grid" data-testid="recordings">
          {entries.map((entry) => (
            <RecordingCard
              key={entry.id}
              entry={entry}
              selected={entry.id === selected}
              onPlay={() => {
                setAutoplay(true);
                setSelected(entry.id);
              }}
              onDownload={() => void onDownload(entry)}
              onRename={(title) => void onRename(entry, title)}
              onDelete={() => void onDelete(entry)}
            />
          ))}
        </ul>
      )}
    </main>
  );
}

function Player({ entry, autoplay }: { entry: RecordingEntry; autoplay: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  useEffect(() => {
    let current = true;
    void recordingFile(entry).then((loaded) => current && setFile(loaded));
    return () => {
      current = false;
    };
  }, [entry.id]);
  const url = useObjectUrl(file);
  return (
    <section class="player">
      {url && <video data-testid="player" src={url} controls autoplay={autoplay} />}
      <h2>{entry.title}</h2>
      <p class="muted">
        {formatDuration(entry.durationMs)} · {formatBytes(entry.size, uiLanguage())}
      </p>
    </section>
  );
}
