import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useObjectUrl } from '@/components/hooks';
import type { MediaItem } from '@/lib/db';
import { formatBytes, formatDuration } from '@/lib/format';
import { t, uiLanguage } from '@/lib/i18n';
import { prepareAacEncoder, releaseAacEncoder } from '@/lib/export/aac/encoder';
import { filmstrip } from '@/lib/export/filmstrip';
import { workerPool } from '@/lib/export/gif/encoder';
import type { GifLoop } from '@/lib/export/gif/writer';
import {
  estimateGifBytes,
  GIF_FPS_RANGE,
  GIF_WIDTH_PRESETS,
  GIF_WIDTH_RANGE,
  openGifSource,
  previewGif,
  type GifQuality,
  type GifSettings,
} from '@/lib/export/gif-export';
import { timeLeftMs } from '@/lib/export/progress';
import { runExport, type ExportRequest } from '@/lib/export/run';
import type { Trim } from '@/lib/export/trim';
import { ExportCanceled } from '@/lib/export/video';
import { itemFile } from '@/lib/library/store';

type Format = ExportRequest['format'];

const FORMAT_LABEL: Record<Format, string> = { mp4: 'MP4', webm: 'WebM', gif: 'GIF' };
const STRIP_FRAMES = 10;
const PROGRESS_INTERVAL_MS = 100;
const MB = 1024 * 1024;

function gifPool() {
  return workerPool(() => new Worker(new URL('../../lib/export/gif/worker.ts', import.meta.url), { type: 'module' }), Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2)));
}

/** Export a recording: format, trim on a filmstrip, GIF settings with a preview and size estimate, progress and Cancel. */
export function ExportPanel(props: { entry: MediaItem; onDone: (item: MediaItem) => void; onClose: () => void; onFailure: (detail: string) => void }) {
  const { entry } = props;
  const [file, setFile] = useState<File | null>(null);
  const [strip, setStrip] = useState<{ duration: number; frames: Blob[] } | null>(null);
  const [format, setFormat] = useState<Format>('mp4');
  const [start, setStart] = useState(0);
  const [end, setEnd] = useState<number | null>(null);
  const [mode, setMode] = useState<Trim['mode']>('exact');
  const [gif, setGif] = useState<GifSettings>({ width: 480, fps: 12, loop: { kind: 'forever' }, quality: 'balanced' });
  const [fit, setFit] = useState<number | null>(null);
  const [estimate, setEstimate] = useState<{ bytes: number; preview: Blob } | null>(null);
  const [progress, setProgress] = useState<{ fraction: number; startedAt: number } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const video = useRef<HTMLVideoElement>(null);
  const fileUrl = useObjectUrl(file);

  useEffect(() => {
    // While MP4 is chosen (it is at first), its AAC encoder loads as the person sets up the export.
    if (format !== 'mp4') return;
    prepareAacEncoder();
    return releaseAacEncoder;
  }, [format]);

  useEffect(() => {
    let current = true;
    void itemFile(entry).then(async (loaded) => {
      if (!current) return;
      setFile(loaded);
      const made = await filmstrip(loaded, STRIP_FRAMES, 54);
      if (!current) return;
      setStrip(made);
      setEnd(made.duration);
    });
    return () => {
      current = false;
      abort.current?.abort();
    };
  }, [entry.id]);

  const duration = strip?.duration ?? 0;
  const cut = end ?? duration;
  const trim: Trim | null = strip && (start > 0 || cut < duration) ? { start, end: cut, mode } : null;

  // The GIF's estimated size and preview follow its settings (after a short pause in typing).
  const estimateKey = useMemo(() => JSON.stringify({ gif, start, cut, format }), [gif, start, cut, format]);
  useEffect(() => {
    if (format !== 'gif' || !file || !strip) return;
    setEstimate(null);
    let current = true;
    const timer = setTimeout(async () => {
      try {
        const source = await openGifSource(file, trim);
        try {
          const bytes = await estimateGifBytes(source, gif);
          const pool = gifPool();
          const preview = await previewGif(source, gif, pool).finally(() => pool.close());
          if (current) setEstimate({ bytes, preview });
        } finally {
          source.input.dispose();
        }
      } catch (error) {
        if (current) props.onFailure(String(error));
      }
    }, 400);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [estimateKey, file, strip]);
  const previewUrl = useObjectUrl(estimate?.preview ?? null);

  const onExport = async () => {
    const controller = new AbortController();
    abort.current = controller;
    const startedAt = performance.now();
    setProgress({ fraction: 0, startedAt });
    const request: ExportRequest = format === 'gif' ? { format, trim, gif, maxBytes: fit ? fit * MB : null } : { format, trim };
    try {
      // mediabunny reports every packet: the bar is redrawn ten times a second at most.
      let shownAt = 0;
      const item = await runExport(entry, request, {
        signal: controller.signal,
        onProgress: (fraction) => {
          const now = performance.now();
          if (now - shownAt < PROGRESS_INTERVAL_MS && fraction < 1) return;
          shownAt = now;
          setProgress({ fraction, startedAt });
        },
        gifPool,
      });
      props.onDone(item);
    } catch (error) {
      if (!(error instanceof ExportCanceled)) props.onFailure(String(error));
    } finally {
      abort.current = null;
      setProgress(null);
    }
  };

  const playRange = () => {
    const player = video.current;
    if (!player) return;
    player.currentTime = start;
    const stopAtEnd = () => {
      if (player.currentTime >= cut) {
        player.pause();
        player.removeEventListener('timeupdate', stopAtEnd);
      }
    };
    player.addEventListener('timeupdate', stopAtEnd);
    void player.play();
  };

  const running = progress !== null;
  const left = progress ? timeLeftMs(progress.fraction, performance.now() - progress.startedAt) : null;
  const setLoop = (loop: GifLoop) => setGif({ ...gif, loop });
  return (
    <section class="export" data-testid="export-panel" aria-label={t('exportTitle', [entry.title])}>
      <div class="export-head">
        <h2>{t('exportTitle', [entry.title])}</h2>
        <button type="button" class="link" data-action="close-export" onClick={props.onClose} disabled={running}>{t('close')}</button>
      </div>
      {/* Metadata only: a long recording is not buffered just to show the panel. */}
      <video ref={video} src={fileUrl ?? undefined} controls muted preload="metadata" class="export-video" />
      <fieldset disabled={running}>
        <div class="row" role="radiogroup" aria-label={t('exportFormat')}>
          <span class="label">{t('exportFormat')}</span>
          {(['mp4', 'webm', 'gif'] as const).map((f) => (
            <label key={f} class="choice">
              <input type="radio" name="format" value={f} data-format={f} checked={format === f} onChange={() => setFormat(f)} />
              {FORMAT_LABEL[f]}
            </label>
          ))}
          <span class="hint">{t(format === 'mp4' ? 'exportMp4Hint' : format === 'webm' ? 'exportWebmHint' : 'exportGifHint')}</span>
        </div>

        <div class="trim">
          <span class="label">{t('exportTrim')}</span>
          <div class="strip" aria-hidden="true">
            {strip?.frames.map((frame, i) => <StripFrame key={i} frame={frame} />)}
            {duration > 0 && <div class="strip-range" style={{ left: `${(start / duration) * 100}%`, width: `${((cut - start) / duration) * 100}%` }} />}
          </div>
          <div class="trim-handles">
            <label>
              {t('exportStart')} <span data-field="trim-start">{formatSeconds(start)}</span>
              <input type="range" data-action="trim-start" min={0} max={duration} step={0.1} value={start} onInput={(e) => setStart(Math.min(Number(e.currentTarget.value), cut - 0.1))} />
            </label>
            <label>
              {t('exportEnd')} <span data-field="trim-end">{formatSeconds(cut)}</span>
              <input type="range" data-action="trim-end" min={0} max={duration} step={0.1} value={cut} onInput={(e) => setEnd(Math.max(Number(e.currentTarget.value), start + 0.1))} />
            </label>
          </div>
          <div class="row">
            <button type="button" data-action="play-range" onClick={playRange} disabled={!fileUrl}>{t('exportPlayRange')}</button>
            <select data-action="trim-mode" aria-label={t('exportTrimMode')} value={mode} onChange={(e) => setMode(e.currentTarget.value as Trim['mode'])}>
              <option value="exact">{t('exportTrimExact')}</option>
              <option value="fast">{t('exportTrimFast')}</option>
            </select>
            <span class="hint">{t(mode === 'fast' ? 'exportTrimFastHint' : 'exportTrimExactHint')}</span>
          </div>
        </div>

        {format === 'gif' && (
          <div class="gif-options">
            <label class="field">
              {t('gifWidth')}
              <select data-action="gif-width-preset" value={GIF_WIDTH_PRESETS.includes(gif.width as (typeof GIF_WIDTH_PRESETS)[number]) ? String(gif.width) : ''} onChange={(e) => e.currentTarget.value && setGif({ ...gif, width: Number(e.currentTarget.value) })}>
                {GIF_WIDTH_PRESETS.map((w) => <option key={w} value={String(w)}>{w} px</option>)}
                <option value="">{t('gifWidthCustom')}</option>
              </select>
              <input type="number" data-action="gif-width" min={GIF_WIDTH_RANGE.min} max={GIF_WIDTH_RANGE.max} value={gif.width} onChange={(e) => setGif({ ...gif, width: clamp(Number(e.currentTarget.value), GIF_WIDTH_RANGE.min, GIF_WIDTH_RANGE.max) })} />
            </label>
            <label class="field">
              {t('gifFps')}
              <input type="number" data-action="gif-fps" min={GIF_FPS_RANGE.min} max={GIF_FPS_RANGE.max} value={gif.fps} onChange={(e) => setGif({ ...gif, fps: clamp(Number(e.currentTarget.value), GIF_FPS_RANGE.min, GIF_FPS_RANGE.max) })} />
            </label>
            <label class="field">
              {t('gifLoop')}
              <select data-action="gif-loop" value={gif.loop.kind} onChange={(e) => setLoop(e.currentTarget.value === 'count' ? { kind: 'count', times: 3 } : { kind: e.currentTarget.value as 'forever' | 'none' })}>
                <option value="forever">{t('gifLoopForever')}</option>
                <option value="count">{t('gifLoopCount')}</option>
                <option value="none">{t('gifLoopNone')}</option>
              </select>
              {gif.loop.kind === 'count' && (
                <input type="number" data-action="gif-loop-times" min={1} max={100} value={gif.loop.times} aria-label={t('gifLoopTimes')} onChange={(e) => setLoop({ kind: 'count', times: clamp(Number(e.currentTarget.value), 1, 100) })} />
              )}
            </label>
            <label class="field">
              {t('gifQuality')}
              <select data-action="gif-quality" value={gif.quality} onChange={(e) => setGif({ ...gif, quality: e.currentTarget.value as GifQuality })}>
                <option value="high">{t('gifQualityHigh')}</option>
                <option value="balanced">{t('gifQualityBalanced')}</option>
                <option value="small">{t('gifQualitySmall')}</option>
              </select>
            </label>
            <label class="field">
              <input type="checkbox" data-action="gif-fit" checked={fit !== null} onChange={(e) => setFit(e.currentTarget.checked ? 1 : null)} />
              {t('gifFitUnder')}
              <input type="number" data-action="gif-fit-mb" min={0.1} step={0.1} value={fit ?? 1} disabled={fit === null} onChange={(e) => setFit(Math.max(0.1, Number(e.currentTarget.value) || 1))} /> MB
            </label>
            <div class="gif-preview">
              {previewUrl ? <img src={previewUrl} alt={t('gifPreview')} data-testid="gif-preview" /> : <span class="hint">{t('gifEstimating')}</span>}
              {estimate && (
                <span class="hint" data-field="gif-estimate">
                  {t('gifEstimate', [formatBytes(estimate.bytes, uiLanguage())])}
                  {fit !== null && estimate.bytes > fit * MB && ` ${t('gifWillShrink')}`}
                </span>
              )}
            </div>
          </div>
        )}
      </fieldset>

      {running ? (
        <div class="progress-row" data-testid="export-progress">
          <progress max={1} value={progress.fraction} aria-label={t('exportProgress')} />
          <span class="hint" data-field="export-percent">
            {Math.floor(progress.fraction * 100)}%{left !== null && ` · ${t('exportTimeLeft', [formatDuration(left)])}`}
          </span>
          <button type="button" class="danger" data-action="cancel-export" onClick={() => abort.current?.abort()}>{t('cancel')}</button>
        </div>
      ) : (
        <div class="row">
          <button type="button" class="primary" data-action="start-export" disabled={!strip} onClick={() => void onExport()}>
            {t('exportStartButton', [FORMAT_LABEL[format]])}
          </button>
          {trim && <span class="hint">{t('exportCutLength', [formatSeconds(cut - start)])}</span>}
        </div>
      )}
    </section>
  );
}

function StripFrame({ frame }: { frame: Blob }) {
  const url = useObjectUrl(frame);
  return url ? <img src={url} alt="" /> : null;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}

function formatSeconds(seconds: number): string {
  return `${seconds.toFixed(1)} s`;
}
