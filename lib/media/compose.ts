import { TrackGenerator } from './breakout-box';
import { latestFrame, type LatestFrame } from './latest-frame';

/**
 * A call as one picture, for recording it: everyone's video in a grid with their names (the
 * sound is mixed by ./audio-mix.ts). Frames are read with MediaStreamTrackProcessor and the grid is
 * written with MediaStreamTrackGenerator as the tiles' frames arrive — not on a timer or an
 * animation frame, which a page in the background (the person went to the tab they share) slows
 * to one a second or stops.
 */
export interface GridTile {
  id: string;
  label: string;
  track: MediaStreamTrack | null;
}

export interface GridComposer {
  readonly track: MediaStreamTrack;
  /** Who is in the grid now, in order; tiles come and go, their tracks change. */
  setTiles(tiles: GridTile[]): void;
  close(): void;
}


/** Where tile `index` of `count` goes in a width × height picture: one column for one, else two. */
export function gridCell(index: number, count: number, width: number, height: number): { x: number; y: number; w: number; h: number } {
  const columns = count <= 1 ? 1 : 2;
  const rows = Math.max(1, Math.ceil(count / columns));
  const w = width / columns;
  const h = height / rows;
  return { x: (index % columns) * w, y: Math.floor(index / columns) * h, w, h };
}

/** The largest rectangle of the frame's shape inside the cell, centred. */
export function fitInto(frameWidth: number, frameHeight: number, cell: { x: number; y: number; w: number; h: number }) {
  const scale = Math.min(cell.w / frameWidth, cell.h / frameHeight);
  const w = frameWidth * scale;
  const h = frameHeight * scale;
  return { x: cell.x + (cell.w - w) / 2, y: cell.y + (cell.h - h) / 2, w, h };
}

export function composeGrid(width = 1280, height = 720, frameRate = 30): GridComposer {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d')!;
  const generator = new TrackGenerator({ kind: 'video' });
  const writer = generator.writable.getWriter();
  const followed = new Map<string, LatestFrame>();
  let tiles: GridTile[] = [];
  let lastDrawn = 0;
  let closed = false;

  const draw = () => {
    const now = performance.now();
    if (closed || now - lastDrawn < 1000 / frameRate - 2) return;
    lastDrawn = now;
    context.fillStyle = '#111';
    context.fillRect(0, 0, width, height);
    tiles.forEach((tile, index) => {
      const cell = gridCell(index, tiles.length, width, height);
      const frame = followed.get(tile.id)?.frame;
      if (frame) {
        const box = fitInto(frame.displayWidth, frame.displayHeight, cell);
        context.drawImage(frame, box.x, box.y, box.w, box.h);
      }
      context.font = '24px system-ui, sans-serif';
      context.fillStyle = '#fff';
      context.shadowColor = 'rgba(0, 0, 0, 0.8)';
      context.shadowBlur = 4;
      context.fillText(tile.label, cell.x + 16, cell.y + cell.h - 18, cell.w - 32);
      context.shadowBlur = 0;
    });
    const frame = new VideoFrame(canvas, { timestamp: Math.round(now * 1000) });
    void writer.write(frame).catch(() => frame.close());
  };

  const stopFollowing = (id: string) => {
    followed.get(id)?.close();
    followed.delete(id);
  };

  // A grid with nobody's picture (cameras off) still moves, if slowly.
  const idle = setInterval(draw, 250);

  return {
    track: generator,
    setTiles(next) {
      tiles = next;
      for (const [id, follower] of [...followed]) {
        if (next.find((t) => t.id === id)?.track !== follower.track) stopFollowing(id);
      }
      for (const tile of next) {
        if (!tile.track || followed.has(tile.id) || tile.track.readyState === 'ended') continue;
        followed.set(tile.id, latestFrame(tile.track, draw));
      }
    },
    close() {
      closed = true;
      clearInterval(idle);
      for (const id of [...followed.keys()]) stopFollowing(id);
      void writer.close().catch(() => undefined);
      generator.stop();
    },
  };
}
