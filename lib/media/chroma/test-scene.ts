/**
 * Test frames for the key (used by its unit tests and the chroma bench): a screen behind a
 * person, with the truth of which pixels are the person.
 */

/** A small deterministic noise source (±0.5), so a failing frame is the same frame every time. */
export function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  };
}

/**
 * The screen's colour lit unevenly (full at the left, 40 % at the right: a 60 % falloff) with
 * ±8 levels of noise; in front, a skin-toned face, a dark green-ish shirt, a white collar and
 * thin dark hair-like lines, 1 px wide. Laid out for 320 × 200 and scaled to other sizes.
 */
export function screenScene(screen: readonly [number, number, number], width = 320, height = 200, seed = 7): { rgba: Uint8ClampedArray; foreground: Uint8Array } {
  const rgba = new Uint8ClampedArray(width * height * 4);
  const foreground = new Uint8Array(width * height);
  const rand = noise(seed);
  const sx = width / 320;
  const sy = height / 200;
  const hairColumns = [120, 124, 200].map((x) => Math.round(x * sx));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const light = 1 - 0.6 * (x / (width - 1));
      let colour = screen.map((c) => c * light);
      const face = ((x - 160 * sx) / (40 * sx)) ** 2 + ((y - 80 * sy) / (50 * sy)) ** 2 <= 1;
      const shirt = y >= 135 * sy && x >= 90 * sx && x < 230 * sx;
      const collar = y >= 128 * sy && y < 135 * sy && x >= 130 * sx && x < 190 * sx;
      const hair = hairColumns.includes(x) && y >= 30 * sy && y < 110 * sy;
      if (face) colour = [224, 172, 140];
      if (shirt) colour = [40, 80, 40];
      if (collar) colour = [235, 235, 230];
      if (hair) colour = [45, 30, 20];
      foreground[i] = face || shirt || collar || hair ? 1 : 0;
      for (let c = 0; c < 3; c++) rgba[i * 4 + c] = colour[c]! + rand() * 16;
      rgba[i * 4 + 3] = 255;
    }
  }
  return { rgba, foreground };
}
