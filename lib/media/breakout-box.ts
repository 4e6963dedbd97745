/**
 * Chromium's breakout box on the main thread (MediaStreamTrackProcessor and
 * MediaStreamTrackGenerator; non-standard there, so typed here): a track's frames as a stream,
 * and a track made of frames written to a stream.
 */
export const TrackProcessor = (globalThis as unknown as { MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack }) => { readable: ReadableStream<VideoFrame> } }).MediaStreamTrackProcessor;

export const TrackGenerator = (globalThis as unknown as { MediaStreamTrackGenerator: new (init: { kind: 'video' }) => MediaStreamTrack & { writable: WritableStream<VideoFrame> } }).MediaStreamTrackGenerator;
