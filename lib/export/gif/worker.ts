import { encodeFrame, type FrameJob } from './frame';

/** A GIF encoding worker: one frame in, its palette and LZW data out. */
self.onmessage = (event: MessageEvent<FrameJob>) => {
  const frame = encodeFrame(event.data);
  (self as unknown as Worker).postMessage(frame, [frame.palette.buffer, frame.data.buffer, frame.indices.buffer]);
};
