/**
 * The temporal denoiser: video noise and encoder artefacts make still areas change a little
 * every frame, and a palette per frame turns that into visible shimmer (and bytes). A pixel is
 * held at its last shown value until it really changes: the frame differs from it by more than
 * the noise threshold, or the pixel's recent average drifted from it by more than 0.6 of that
 * (noise averages out, a small lasting change does not; it is then shown at its average).
 * Held pixels are what a GIF frame leaves transparent, showing the frame below.
 *
 * The threshold follows the noise: it is measured on every frame as a low percentile of how
 * much pixels differ from what is shown (most of a picture is still, so that is its noise),
 * times `noiseFactor`, at most `threshold`. Clean screen content thus keeps every real change;
 * a noisy camera's grain is held.
 */
export interface DenoisedFrame {
  /** The frame as it will be shown: held pixels keep their earlier value. */
  rgba: Uint8Array;
  /** 1 where the shown pixel changed since the previous frame. */
  changed: Uint8Array;
  /** The bounding box of the changed pixels; null when nothing changed. */
  box: { x: number; y: number; width: number; height: number } | null;
  /** The noise threshold used on this frame. */
  threshold: number;
}

export interface DenoiserOptions {
  /** Largest per-channel change ever treated as noise, 0–255. */
  threshold: number;
  /** The threshold as a multiple of the measured noise. */
  noiseFactor: number;
}

export const DEFAULT_DENOISER: DenoiserOptions = { threshold: 10, noiseFactor: 2.5 };

/** Weight of the newest frame in each pixel's running average. */
const AVERAGE_WEIGHT = 0.25;
/** The share of pixels whose difference measures the noise: below the moving part of most clips. */
const NOISE_PERCENTILE = 0.3;

export class TemporalDenoiser {
  private shown: Uint8Array | null = null;
  private readonly average: Float32Array;
  private readonly difference: Uint8Array;

  constructor(
    private readonly width: number,
    private readonly height: number,
    private readonly options: DenoiserOptions = DEFAULT_DENOISER,
  ) {
    this.average = new Float32Array(width * height * 3);
    this.difference = new Uint8Array(width * height);
  }

  push(frame: Uint8Array | Uint8ClampedArray): DenoisedFrame {
    const { width, height } = this;
    const pixels = width * height;
    const changed = new Uint8Array(pixels);
    if (!this.shown) {
      this.shown = Uint8Array.from(frame);
      for (let p = 0; p < pixels; p++) for (let c = 0; c < 3; c++) this.average[p * 3 + c] = frame[p * 4 + c]!;
      changed.fill(1);
      return { rgba: Uint8Array.from(this.shown), changed, box: { x: 0, y: 0, width, height }, threshold: 0 };
    }
    const shown = this.shown;
    const average = this.average;
    const difference = this.difference;

    // How far each pixel is from what is shown (the largest channel), and the noise level.
    const histogram = new Uint32Array(256);
    for (let p = 0; p < pixels; p++) {
      const i = p * 4;
      const d = Math.max(Math.abs(frame[i]! - shown[i]!), Math.abs(frame[i + 1]! - shown[i + 1]!), Math.abs(frame[i + 2]! - shown[i + 2]!));
      difference[p] = d;
      histogram[d]!++;
    }
    let noise = 0;
    for (let seen = 0, rank = pixels * NOISE_PERCENTILE; noise < 255; noise++) {
      seen += histogram[noise]!;
      if (seen >= rank) break;
    }
    const threshold = Math.min(this.options.threshold, Math.round(noise * this.options.noiseFactor));
    const drift = threshold * 0.6;

    let minX = width, minY = height, maxX = -1, maxY = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        const i = p * 4;
        const a = p * 3;
        const far = difference[p]! > threshold;
        let drifted = false;
        for (let c = 0; c < 3; c++) {
          const mean = (average[a + c] = average[a + c]! + (frame[i + c]! - average[a + c]!) * AVERAGE_WEIGHT);
          if (Math.abs(mean - shown[i + c]!) > drift) drifted = true;
        }
        if (!far && !drifted) continue;
        let moved = false;
        for (let c = 0; c < 3; c++) {
          const value = far ? frame[i + c]! : Math.round(average[a + c]!);
          if (far) average[a + c] = value;
          if (shown[i + c] !== value) moved = true;
          shown[i + c] = value;
        }
        if (!moved) continue;
        changed[p] = 1;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
    const box = maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
    return { rgba: Uint8Array.from(shown), changed, box, threshold };
  }
}
