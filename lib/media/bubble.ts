import { TrackGenerator, TrackProcessor } from './breakout-box';
import { latestFrame } from './latest-frame';
import type { ProcessedTrack } from './transform';

/**
 * The camera bubble: the camera laid over a tab or screen recording — a circle or a rounded
 * rectangle in a corner — drawn into each of the picture's frames as it arrives (its timing
 * and rate are the picture's), with the camera's latest frame, before anything encodes it.
 */
export const BUBBLE_CORNERS = ['bottom-right', 'bottom-left', 'top-right', 'top-left'] as const;
export const BUBBLE_SIZES = ['small', 'medium', 'large'] as const;
export const BUBBLE_SHAPES = ['circle', 'rounded'] as const;

export interface BubblePlacement {
  corner: (typeof BUBBLE_CORNERS)[number];
  size: (typeof BUBBLE_SIZES)[number];
  shape: (typeof BUBBLE_SHAPES)[number];
  /** Shown as in a mirror (as the person sees themselves in the Studio). */
  mirror: boolean;
}

/** The bubble's height, as a share of the picture's. */
const SIZE_SHARE: Record<BubblePlacement['size'], number> = { small: 0.2, medium: 0.28, large: 0.38 };
/** Its distance from the picture's edges, as a share of the picture's height. */
const MARGIN_SHARE = 0.04;

/** Where the bubble goes in a width × height picture: a square for a circle, 4:3 for a rounded rectangle. */
export function bubbleRect(width: number, height: number, placement: BubblePlacement): { x: number; y: number; w: number; h: number } {
  const h = Math.round(height * SIZE_SHARE[placement.size]);
  const w = placement.shape === 'circle' ? h : Math.round((h * 4) / 3);
  const margin = Math.round(height * MARGIN_SHARE);
  const x = placement.corner.endsWith('left') ? margin : width - margin - w;
  const y = placement.corner.startsWith('top') ? margin : height - margin - h;
  return { x, y, w, h };
}

/** The part of a frame that fills a box of the given shape, cropped from its middle. */
function coverCrop(frameWidth: number, frameHeight: number, w: number, h: number): { sx: number; sy: number; sw: number; sh: number } {
  const scale = Math.max(w / frameWidth, h / frameHeight);
  const sw = w / scale;
  const sh = h / scale;
  return { sx: (frameWidth - sw) / 2, sy: (frameHeight - sh) / 2, sw, sh };
}

export function composeBubble(picture: MediaStreamTrack, camera: MediaStreamTrack, placement: BubblePlacement): ProcessedTrack {
  const generator = new TrackGenerator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  const pictures = new TrackProcessor({ track: picture }).readable.getReader();
  const faces = latestFrame(camera);
  let canvas = new OffscreenCanvas(1, 1);

  void (async () => {
    for (;;) {
      const { value: frame, done } = await pictures.read().catch(() => ({ value: undefined, done: true }));
      if (done || !frame) break;
      const width = frame.displayWidth;
      const height = frame.displayHeight;
      if (canvas.width !== width || canvas.height !== height) canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d')!;
      context.drawImage(frame, 0, 0, width, height);
      const face = faces.frame;
      if (face) {
        const box = bubbleRect(width, height, placement);
        const crop = coverCrop(face.displayWidth, face.displayHeight, box.w, box.h);
        context.save();
        context.beginPath();
        if (placement.shape === 'circle') context.arc(box.x + box.w / 2, box.y + box.h / 2, box.h / 2, 0, 2 * Math.PI);
        else context.roundRect(box.x, box.y, box.w, box.h, box.h * 0.12);
        context.clip();
        if (placement.mirror) {
          context.translate(box.x * 2 + box.w, 0);
          context.scale(-1, 1);
        }
        context.drawImage(face, crop.sx, crop.sy, crop.sw, crop.sh, box.x, box.y, box.w, box.h);
        context.restore();
      }
      const out = new VideoFrame(canvas, { timestamp: frame.timestamp, duration: frame.duration ?? undefined });
      frame.close();
      await writer.write(out).catch(() => out.close());
    }
  })();

  return {
    track: generator,
    close() {
      void pictures.cancel().catch(() => undefined);
      faces.close();
      void writer.close().catch(() => undefined);
      generator.stop();
    },
  };
}
