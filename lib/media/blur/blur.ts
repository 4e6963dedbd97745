import { openPersonSegmenter, type PersonSegmenter } from './segmenter';

/**
 * The camera's own background blurred, the person kept sharp — no green screen needed: each
 * frame's person is found by ./segmenter.ts at the model's size, and the mask, scaled up
 * smoothly to the frame, cuts the person out of the frame and lays them over a blurred copy of
 * it. Canvas work off the page's thread (OffscreenCanvas, in the keying worker).
 */
export interface BackgroundBlur {
  /** The frame with its background blurred: a new frame of the same size and time (the caller closes both). */
  blur(frame: VideoFrame): VideoFrame;
}

/** How much of the new mask each frame takes (the rest is the last one's): edges stop flickering. */
const MASK_FOLLOW = 0.7;
/** Mask values up to LOW are background, from HIGH on the person; in between a soft edge. */
const LOW = 0.25;
const HIGH = 0.75;
/** The background is blurred at 1/SHRINK of the frame's size (cheap), then scaled back up smoothly. */
const SHRINK = 6;
const SMALL_BLUR_PX = 2;
const EDGE_PX = 2 * SMALL_BLUR_PX;

/**
 * The mask (0–1 a pixel) as an RGBA picture whose alpha is the person: smoothed over time with
 * the last one (`held`, updated; null for the first), with a soft edge between LOW and HIGH.
 */
export function maskAlpha(mask: Float32Array, held: Float32Array | null, alpha: Uint8ClampedArray): Float32Array {
  if (!held) held = mask.slice();
  for (let i = 0; i < mask.length; i++) {
    const value = held[i]! + MASK_FOLLOW * (mask[i]! - held[i]!);
    held[i] = value;
    alpha[4 * i + 3] = ((value - LOW) / (HIGH - LOW)) * 255;
  }
  return held;
}

export async function openBackgroundBlur(): Promise<BackgroundBlur> {
  const segmenter: PersonSegmenter = await openPersonSegmenter();
  const { width: mw, height: mh } = segmenter;
  const small = new OffscreenCanvas(mw, mh);
  const smallContext = small.getContext('2d', { willReadFrequently: true })!;
  const matte = new OffscreenCanvas(mw, mh);
  const matteContext = matte.getContext('2d')!;
  const alpha = new ImageData(mw, mh);
  let held: Float32Array | null = null;
  let out = new OffscreenCanvas(1, 1);
  let outContext = out.getContext('2d')!;
  let behind = new OffscreenCanvas(1, 1);
  let behindContext = behind.getContext('2d')!;
  return {
    blur(frame) {
      const width = frame.displayWidth;
      const height = frame.displayHeight;
      if (out.width !== width || out.height !== height) {
        out = new OffscreenCanvas(width, height);
        outContext = out.getContext('2d')!;
        behind = new OffscreenCanvas(Math.max(1, Math.round(width / SHRINK)), Math.max(1, Math.round(height / SHRINK)));
        behindContext = behind.getContext('2d')!;
        behindContext.filter = `blur(${SMALL_BLUR_PX}px)`;
      }
      // The frame is read once (a camera's frame is converted on every read): onto the output,
      // whence the model's picture and the blurred background are drawn.
      outContext.globalCompositeOperation = 'copy';
      outContext.drawImage(frame, 0, 0, width, height);
      smallContext.drawImage(out, 0, 0, mw, mh);
      held = maskAlpha(segmenter.segment(smallContext.getImageData(0, 0, mw, mh).data), held, alpha.data);
      matteContext.putImageData(alpha, 0, 0);
      // (Drawn a little past its edges, so the blur has picture to take from there, not nothing.)
      behindContext.drawImage(out, -EDGE_PX, -EDGE_PX, behind.width + 2 * EDGE_PX, behind.height + 2 * EDGE_PX);
      // The person: the frame, kept where the mask is; behind them, the frame blurred.
      outContext.globalCompositeOperation = 'destination-in';
      outContext.drawImage(matte, 0, 0, width, height);
      outContext.globalCompositeOperation = 'destination-over';
      outContext.drawImage(behind, 0, 0, width, height);
      return new VideoFrame(out, { timestamp: frame.timestamp, duration: frame.duration ?? undefined, alpha: 'discard' });
    },
  };
}
