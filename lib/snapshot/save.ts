import type { MediaItem } from '../db';
import type { VideoSourceKind } from '../media/capture';
import { thumbnailOf } from '../media/thumbnail';
import { saveItem } from '../library/store';

/** Saves a snapshot into the Library as a PNG at full resolution, with a thumbnail for the gallery. */
export async function saveSnapshot(canvas: OffscreenCanvas, meta: { title: string; source: VideoSourceKind }): Promise<MediaItem> {
  const png = await canvas.convertToBlob({ type: 'image/png' });
  const thumbnail = await thumbnailOf(canvas, canvas.width, canvas.height);
  return saveItem(
    {
      id: crypto.randomUUID(),
      kind: 'snapshot',
      parentId: null,
      title: meta.title,
      createdAt: Date.now(),
      mimeType: 'image/png',
      durationMs: null,
      thumbnail,
      source: meta.source,
      recovered: false,
    },
    async (file) => {
      await file.write(png);
      await file.close();
    },
  );
}
