import { playingVideo } from './frame';

/**
 * Snapshots: one frame drawn at full resolution through the same CSS filter string the preview
 * shows (lib/media/filters.ts), mirrored like the selfie view when asked.
 */
export interface SnapshotLook {
  /** A CSS `filter` value ('none' for the picture as it is). */
  filter: string;
  mirror: boolean;
}

export function drawSnapshot(source: CanvasImageSource, width: number, height: number, look: SnapshotLook): OffscreenCanvas {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas');
  context.filter = look.filter;
  if (look.mirror) {
    context.translate(width, 0);
    context.scale(-1, 1);
  }
  context.drawImage(source, 0, 0, width, height);
  return canvas;
}

/** One frame of a live track at its full size, as it is (the tab snapshot); fails when none comes within `timeoutMs`. */
export async function frameOf(track: MediaStreamTrack, timeoutMs?: number): Promise<OffscreenCanvas> {
  const { video, release } = await playingVideo(track, timeoutMs);
  try {
    return drawSnapshot(video, video.videoWidth, video.videoHeight, { filter: 'none', mirror: false });
  } finally {
    release();
  }
}

export interface SheetCell {
  filter: string;
  label: string;
}

const SHEET_COLUMNS = 4;
const SHEET_CELL_WIDTH = 480;
const LABEL_HEIGHT = 36;

/** "All filters": the same shot through every filter, in a grid with each filter's name under it. */
export function contactSheet(source: CanvasImageSource, width: number, height: number, cells: SheetCell[], look: { mirror: boolean; background: string; text: string }): OffscreenCanvas {
  const cellWidth = Math.min(SHEET_CELL_WIDTH, width);
  const cellHeight = Math.round((height / width) * cellWidth);
  const rows = Math.ceil(cells.length / SHEET_COLUMNS);
  const gap = 8;
  const canvas = new OffscreenCanvas(SHEET_COLUMNS * (cellWidth + gap) + gap, rows * (cellHeight + LABEL_HEIGHT + gap) + gap);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas');
  context.fillStyle = look.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  cells.forEach((cell, i) => {
    const x = gap + (i % SHEET_COLUMNS) * (cellWidth + gap);
    const y = gap + Math.floor(i / SHEET_COLUMNS) * (cellHeight + LABEL_HEIGHT + gap);
    context.drawImage(drawSnapshot(source, cellWidth, cellHeight, { filter: cell.filter, mirror: look.mirror }), x, y);
    context.fillStyle = look.text;
    context.font = '18px system-ui, sans-serif';
    context.textBaseline = 'middle';
    context.fillText(cell.label, x + 4, y + cellHeight + LABEL_HEIGHT / 2, cellWidth - 8);
  });
  return canvas;
}

/** The formats a snapshot can be saved or downloaded in. */
export const IMAGE_TYPES = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' } as const;
export type ImageFormat = keyof typeof IMAGE_TYPES;

/** An image converted to another format (drawn on a canvas and encoded; JPEG gets a white background). */
export async function convertImage(image: Blob, format: ImageFormat): Promise<Blob> {
  if (image.type === IMAGE_TYPES[format]) return image;
  const bitmap = await createImageBitmap(image);
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d canvas');
    if (format === 'jpeg') {
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, bitmap.width, bitmap.height);
    }
    context.drawImage(bitmap, 0, 0);
    return await canvas.convertToBlob({ type: IMAGE_TYPES[format], quality: 0.92 });
  } finally {
    bitmap.close();
  }
}
