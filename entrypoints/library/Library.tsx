import { useEffect, useRef, useState } from 'preact/hooks';
import { Notice } from '@/components/Notice';
import { useObjectUrl } from '@/components/hooks';
import { useRecordingState } from '@/components/recording-hooks';
import type { MediaItem, MediaKind } from '@/lib/db';
import { formatBytes, formatDuration } from '@/lib/format';
import { t, uiLanguage, type MessageKey } from '@/lib/i18n';
import { watchLibrary } from '@/lib/library/changes';
import { downloadFileName } from '@/lib/library/naming';
import { clearScratch, deleteItem, extensionFor, itemFile, listItems, renameItem } from '@/lib/library/store';
import { convertImage, IMAGE_TYPES, type ImageFormat } from '@/lib/media/snapshot';
import { sendTo } from '@/lib/messaging/protocol';
import { ERROR_MESSAGE } from '@/lib/recording/explain';
import { recoverOrphanedSessions } from '@/lib/recording/finalize';
import { ExportPanel } from './ExportPanel';
import { MediaCard } from './MediaCard';

export function Library() {
  const [entries, setEntries] = useState<MediaItem[] | null>(null);
  const [recovered, setRecovered] = useState(0);
  // The service worker opens library.html#<id> on a recording that just finished.
  const [selected, setSelected] = useState<string | null>(decodeURIComponent(location.hash.slice(1)) || null);
  const [autoplay, setAutoplay] = useState(false);
  const [failure, setFailure] = useState<{ message: MessageKey; detail: string } | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [shown, setShown] = useState<MediaKind | 'all'>('all');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [exporting, setExporting] = useState<string | null>(null);
  const state = useRecordingState();
  const grid = useRef<HTMLUListElement>(null);

  const reload = () => listItems().then(setEntries);

  useEffect(() => {
    void reload();
    // A recording cut short by a crash or a closed browser is rebuilt from its chunks here;
    // it is announced like any new item, and the list reloads.
    void recoverOrphanedSessions().then((list) => setRecovered(list.length));
    // An export cut short by a crash or a closed page leaves its scratch file: no export runs yet.
    void clearScratch();
    // Anything added, renamed or deleted anywhere (the recorder, another Library tab) shows up at once.
    return watchLibrary(() => void reload());
  }, []);

  // The item the page was opened on is in view beside its player, not below the fold.
  const scrolled = useRef(false);
  useEffect(() => {
    if (scrolled.current || !selected || !entries?.some((e) => e.id === selected)) return;
    scrolled.current = true;
    grid.current?.querySelector(`[data-recording-id="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [entries, selected]);

  const guard = (work: () => Promise<unknown>) => work().catch((error) => setFailure({ message: 'errorLibrary', detail: String(error) }));

  const onDownload = (entry: MediaItem, format?: ImageFormat) =>
    guard(async () => {
      const file = format ? await convertImage(await itemFile(entry), format) : await itemFile(entry);
      const url = URL.createObjectURL(file);
      const link = document.createElement('a');
      link.href = url;
      link.download = downloadFileName(entry.title, new Date(entry.createdAt), extensionFor(format ? IMAGE_TYPES[format] : entry.mimeType));
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });
  const onCopy = (entry: MediaItem) =>
    guard(async () => {
      // The clipboard takes PNG pictures everywhere.
      const png = await convertImage(await itemFile(entry), 'png');
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
      setInfo(t('copied'));
    });
  const onDeletePicked = () =>
    guard(async () => {
      if (!confirm(t('confirmDeleteSeveral', [String(picked.size)]))) return;
      for (const id of picked) await deleteItem(id);
      if (selected && picked.has(selected)) setSelected(null);
      setPicked(new Set());
    });
  const pick = (id: string, on: boolean) =>
    setPicked((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const onRename = (entry: MediaItem, title: string) => guard(() => renameItem(entry.id, title));
  const onDelete = (entry: MediaItem) =>
    guard(async () => {
      if (!confirm(t('confirmDelete', [entry.title]))) return;
      await deleteItem(entry.id);
      if (selected === entry.id) setSelected(null);
    });

  const onExported = (item: MediaItem) => {
    setExporting(null);
    setSelected(item.id);
    setAutoplay(false);
    setInfo(t('exported'));
    void onDownload(item);
  };

  const current = entries?.find((e) => e.id === selected) ?? null;
  const exported = entries?.find((e) => e.id === exporting) ?? null;
  const listed = entries?.filter((e) => shown === 'all' || e.kind === shown) ?? null;
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
      {failure && <Notice kind="error" message={t(failure.message)} detail={failure.detail} onDismiss={() => setFailure(null)} dismissLabel={t('dismiss')} />}
      {info && <Notice kind="info" message={info} onDismiss={() => setInfo(null)} dismissLabel={t('dismiss')} />}
      {exported ? (
        <ExportPanel key={exported.id} entry={exported} onDone={onExported} onClose={() => setExporting(null)} onFailure={(detail) => setFailure({ message: 'errorExport', detail })} />
      ) : (
        current && <Player key={current.id} entry={current} autoplay={autoplay} />
      )}
      {entries && entries.length === 0 && <p class="empty">{t('libraryEmpty')}</p>}
      {entries && entries.length > 0 && (
        <div class="toolbar">
          <div class="tabs" role="tablist">
            {(['all', 'recording', 'snapshot', 'export'] as const).map((kind) => (
              <button key={kind} type="button" role="tab" aria-selected={shown === kind} data-filter={kind} class={shown === kind ? 'on' : ''} onClick={() => setShown(kind)}>
                {t(({ all: 'libraryAll', recording: 'libraryRecordings', snapshot: 'libraryPhotos', export: 'libraryExports' } as const)[kind])}
              </button>
            ))}
          </div>
          {picked.size > 0 && (
            <button type="button" class="danger" data-action="delete-selected" onClick={() => void onDeletePicked()}>
              {t('deleteSelected', [String(picked.size)])}
            </button>
          )}
        </div>
      )}
      {listed && listed.length > 0 && (
        <ul class="grid" data-testid="recordings" ref={grid}>
          {listed.map((entry) => (
            <MediaCard
              key={entry.id}
              entry={entry}
              selected={entry.id === selected}
              checked={picked.has(entry.id)}
              onCheck={(on) => pick(entry.id, on)}
              onPlay={() => {
                setAutoplay(true);
                setSelected(entry.id);
              }}
              onDownload={(format) => void onDownload(entry, format)}
              onExport={() => {
                setExporting(entry.id);
                window.scrollTo({ top: 0 });
              }}
              onCopy={() => void onCopy(entry)}
              onRename={(title) => void onRename(entry, title)}
              onDelete={() => void onDelete(entry)}
            />
          ))}
        </ul>
      )}
    </main>
  );
}

function Player({ entry, autoplay }: { entry: MediaItem; autoplay: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  useEffect(() => {
    let current = true;
    void itemFile(entry).then((loaded) => current && setFile(loaded));
    return () => {
      current = false;
    };
  }, [entry.id]);
  const url = useObjectUrl(file);
  return (
    <section class="player">
      {/* The player keeps its size while the file loads, so nothing below it moves. */}
      {entry.mimeType.startsWith('image/') ? (
        <img class="view" data-testid="viewer" data-item-id={entry.id} src={url ?? undefined} alt={entry.title} />
      ) : (
        <video data-testid="player" data-item-id={entry.id} src={url ?? undefined} controls autoplay={autoplay} />
      )}
      <h2>{entry.title}</h2>
      <p class="muted">
        {entry.durationMs !== null && `${formatDuration(entry.durationMs)} · `}
        {formatBytes(entry.size, uiLanguage())}
      </p>
    </section>
  );
}
