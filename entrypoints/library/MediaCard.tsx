import { useState } from 'preact/hooks';
import { useObjectUrl } from '@/components/hooks';
import type { MediaItem } from '@/lib/db';
import { formatBytes, formatDateTime, formatDuration } from '@/lib/format';
import { t, uiLanguage } from '@/lib/i18n';
import { extensionFor } from '@/lib/library/store';
import type { ImageFormat } from '@/lib/media/snapshot';

/** One item of the Library: its thumbnail, title, date and size, and what can be done with it. */
export function MediaCard(props: {
  entry: MediaItem;
  selected: boolean;
  /** Ticked for "Delete selected". */
  checked: boolean;
  onCheck: (checked: boolean) => void;
  onPlay: () => void;
  /** Downloads the file; a picture can be converted on the way. */
  onDownload: (format?: ImageFormat) => void;
  onCopy: () => void;
  /** Opens the export panel (videos). */
  onExport: () => void;
  onRename: (title: string) => void;
  onDelete: () => void;
}) {
  const { entry } = props;
  const picture = entry.mimeType.startsWith('image/');
  const open = t(picture ? 'view' : 'play');
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(entry.title);
  const thumbnail = useObjectUrl(entry.thumbnail);
  const date = formatDateTime(new Date(entry.createdAt), uiLanguage());

  return (
    <li class={`card${props.selected ? ' selected' : ''}`} data-recording-id={entry.id}>
      <input type="checkbox" class="pick" data-action="select" aria-label={t('selectItem')} checked={props.checked} onChange={(e) => props.onCheck(e.currentTarget.checked)} />
      <button type="button" class="thumb" onClick={props.onPlay} aria-label={open}>
        {thumbnail && <img src={thumbnail} alt="" />}
        {entry.durationMs !== null && (
          <span class="duration" data-field="duration">
            {formatDuration(entry.durationMs)}
          </span>
        )}
      </button>
      <div class="meta">
        {editing ? (
          <form
            class="rename"
            onSubmit={(e) => {
              e.preventDefault();
              props.onRename(draft);
              setEditing(false);
            }}
          >
            <input type="text" value={draft} maxLength={200} aria-label={t('rename')} onInput={(e) => setDraft(e.currentTarget.value)} autoFocus />
            <button type="submit" data-action="save-title">{t('save')}</button>
          </form>
        ) : (
          <span class="title" data-field="title">
            {entry.title}
            {entry.recovered && <span class="badge">{t('recoveredBadge')}</span>}
          </span>
        )}
        <span class="muted">
          {entry.kind === 'export' && <span class="format" data-field="format">{extensionFor(entry.mimeType).toUpperCase()}</span>}
          {date} · <span data-field="size">{formatBytes(entry.size, uiLanguage())}</span>
        </span>
      </div>
      <div class="actions">
        <button type="button" data-action="play" onClick={props.onPlay}>{open}</button>
        <button type="button" data-action="download" onClick={() => props.onDownload()}>{t('download')}</button>
        {entry.mimeType.startsWith('video/') && (
          <button type="button" data-action="export" onClick={props.onExport}>{t('exportAction')}</button>
        )}
        {entry.kind === 'snapshot' && (
          <>
            <select
              data-action="download-as"
              aria-label={t('downloadAs')}
              value=""
              onChange={(e) => {
                const format = e.currentTarget.value as ImageFormat;
                e.currentTarget.value = '';
                props.onDownload(format);
              }}
            >
              <option value="">{t('downloadAs')}</option>
              <option value="png">PNG</option>
              <option value="jpeg">JPEG</option>
              <option value="webp">WebP</option>
            </select>
            <button type="button" data-action="copy" onClick={props.onCopy}>{t('copyImage')}</button>
          </>
        )}
        <button
          type="button"
          data-action="rename"
          onClick={() => {
            setDraft(entry.title);
            setEditing(true);
          }}
        >
          {t('rename')}
        </button>
        <button type="button" class="danger" data-action="delete" onClick={props.onDelete}>{t('delete')}</button>
      </div>
    </li>
  );
}
