import { ALL_FORMATS, BlobSource, CanvasSink, Input } from 'mediabunny';

/** `count` pictures spread over a video, for the trim filmstrip: decoded, never seeked in a <video>. */
export async function filmstrip(file: Blob, count: number, height: number): Promise<{ duration: number; frames: Blob[] }> {
  const input = new Input({ source: new BlobSource(file), formats: ALL_FORMATS });
  try {
    const duration = await input.computeDuration();
    const track = await input.getPrimaryVideoTrack();
    if (!track) return { duration, frames: [] };
    const width = Math.max(1, Math.round((height * track.displayWidth) / track.displayHeight));
    const sink = new CanvasSink(track, { width, height, fit: 'fill', poolSize: 1 });
    const times = Array.from({ length: count }, (_, i) => ((i + 0.5) * duration) / count);
    const frames: Blob[] = [];
    for await (const wrapped of sink.canvasesAtTimestamps(times)) {
      if (!wrapped) continue;
      const canvas = wrapped.canvas;
      frames.push(canvas instanceof OffscreenCanvas ? await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.7 }) : await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no picture'))), 'image/jpeg', 0.7)));
    }
    return { duration, frames };
  } finally {
    input.dispose();
  }
}
