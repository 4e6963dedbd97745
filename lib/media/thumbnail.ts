import { playingVideo } from './frame';

const THUMBNAIL_WIDTH = 320;

/** A small JPEG of a picture (a live track's current frame, or an image), for the Library's list. */
export async function thumbnailOf(source: CanvasImageSource, width: number, height: number): Promise<Blob> {
  const thumbHeight = Math.max(1, Math.round((height / width) * THUMBNAIL_WIDTH));
  const canvas = new OffscreenCanvas(THUMBNAIL_WIDTH, thumbHeight);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas');
  context.drawImage(source, 0, 0, THUMBNAIL_WIDTH, thumbHeight);
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
}

export async function grabThumbnail(track: MediaStreamTrack): Promise<Blob> {
  const { video, release } = await playingVideo(track);
  try {
    return await thumbnailOf(video, video.videoWidth, video.videoHeight);
  } finally {
    release();
  }
}
