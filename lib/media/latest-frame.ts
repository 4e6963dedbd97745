import { TrackProcessor } from './breakout-box';

/** A track's newest frame, kept as its frames arrive (the one before it closed). */
export interface LatestFrame {
  readonly track: MediaStreamTrack;
  /** The newest frame, or null before the first; kept (and closed) by this, not by the reader. */
  readonly frame: VideoFrame | null;
  /** Stops reading and closes the frame kept. */
  close(): void;
}

/** Follows `track`, keeping its newest frame; `onFrame` hears each arrival. */
export function latestFrame(track: MediaStreamTrack, onFrame?: () => void): LatestFrame {
  const reader = new TrackProcessor({ track }).readable.getReader();
  let frame: VideoFrame | null = null;
  let closed = false;
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done || !value) return;
      if (closed) {
        value.close();
        return;
      }
      frame?.close();
      frame = value;
      onFrame?.();
    }
  })();
  return {
    track,
    get frame() {
      return frame;
    },
    close() {
      closed = true;
      void reader.cancel().catch(() => undefined);
      frame?.close();
      frame = null;
    },
  };
}
