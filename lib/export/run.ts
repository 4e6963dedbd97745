import type { MediaItem } from '../db';
import { itemFile, saveItem, withScratchFile } from '../library/store';
import { mediaDuration } from '../media/convert';
import { writeFastStart } from '../media/faststart';
import { encodeGif, estimateGifBytes, fitSettings, openGifSource, type GifSettings } from './gif-export';
import type { FramePool } from './gif/encoder';
import type { Trim } from './trim';
import { ExportCanceled, openVideoExport, VIDEO_EXPORT_TYPES } from './video';

/**
 * One export from the Library: the recording's file in, a new Library item out (an "export"
 * whose parent is the recording). A cancel or a failure leaves nothing: no item, no file, no
 * scratch file.
 */
export type ExportRequest =
  | { format: 'mp4' | 'webm'; trim: Trim | null }
  | { format: 'gif'; trim: Trim | null; gif: GifSettings; /** "Fit under": the GIF must be smaller than this. */ maxBytes: number | null };

export interface ExportRun {
  onProgress: (fraction: number) => void;
  signal: AbortSignal;
  /** Where GIF frames are encoded (workers in a page). */
  gifPool?: () => FramePool;
}

/** GIF attempts before a size target gives up: each shrinks by what the last one overshot. */
const FIT_ATTEMPTS = 3;
const FIRST_ATTEMPT_SHARE = 0.9;

export async function runExport(parent: MediaItem, request: ExportRequest, run: ExportRun): Promise<MediaItem> {
  const file = await itemFile(parent);
  const draft = {
    id: crypto.randomUUID(),
    kind: 'export' as const,
    parentId: parent.id,
    title: parent.title,
    createdAt: Date.now(),
    mimeType: request.format === 'gif' ? 'image/gif' : VIDEO_EXPORT_TYPES[request.format],
    durationMs: null,
    thumbnail: parent.thumbnail,
    source: parent.source,
    recovered: false,
  };
  const video = async (writable: FileSystemWritableFileStream, format: 'mp4' | 'webm') => {
    const exporter = await openVideoExport(file, { format, trim: request.trim });
    try {
      if (!exporter.indexAtEnd) {
        // mediabunny closes the file when it finalizes it.
        await exporter.write(writable, { onProgress: run.onProgress, signal: run.signal });
        return;
      }
      // An MP4 written with its index at the end, then copied with the index first.
      await withScratchFile(async (scratch) => {
        const out = await scratch.createWritable();
        try {
          await exporter.write(out, { onProgress: (f) => run.onProgress(f * 0.95), signal: run.signal });
        } catch (error) {
          await out.abort().catch(() => undefined);
          throw error;
        }
        await writeFastStart(await scratch.getFile(), writable, run.signal);
        await writable.close();
      });
    } finally {
      exporter.dispose();
    }
  };
  let gifDurationMs: number | null = null;
  const gif = async (writable: FileSystemWritableFileStream, settings: GifSettings, maxBytes: number | null, trim: Trim | null) => {
    const source = await openGifSource(file, trim);
    try {
      gifDurationMs = Math.round((source.range.end - source.range.start) * 1000);
      let current = settings;
      if (maxBytes) current = fitSettings(current, await estimateGifBytes(source, current), maxBytes);
      for (let attempt = 1; ; attempt++) {
        const written = await withScratchFile(async (scratch) => {
          const writer = (await scratch.createWritable()).getWriter();
          const pool = run.gifPool?.();
          try {
            await encodeGif(source, current, (bytes) => writer.write(bytes), {
              pool,
              signal: run.signal,
              // Most GIFs fit the first time: it gets most of the bar; a retry the rest.
              onProgress: (f) => run.onProgress(Math.min(0.99, attempt === 1 ? f * FIRST_ATTEMPT_SHARE : FIRST_ATTEMPT_SHARE + ((attempt - 2 + f) * (1 - FIRST_ATTEMPT_SHARE)) / (FIT_ATTEMPTS - 1))),
            });
            await writer.close();
          } catch (error) {
            // An open file cannot be removed: abort it (through its writer, which holds the lock).
            await writer.abort().catch(() => undefined);
            throw error;
          } finally {
            pool?.close();
          }
          const made = await scratch.getFile();
          if (maxBytes && made.size >= maxBytes && attempt < FIT_ATTEMPTS) return made.size;
          if (maxBytes && made.size >= maxBytes) throw new Error(`could not make this GIF smaller than ${maxBytes} bytes`);
          await made.stream().pipeTo(writable, { signal: run.signal });
          return null;
        });
        if (written === null) return;
        current = fitSettings(current, written, maxBytes!);
      }
    } finally {
      source.input.dispose();
    }
  };
  try {
    return await saveItem(
      draft,
      async (writable) => {
        if (request.format === 'gif') await gif(writable, request.gif, request.maxBytes, request.trim);
        else await video(writable, request.format);
        run.onProgress(1);
      },
      async (made) => ({ durationMs: gifDurationMs ?? Math.round((await mediaDuration(made)) * 1000) }),
    );
  } catch (error) {
    if (run.signal.aborted) throw new ExportCanceled();
    throw error;
  }
}
