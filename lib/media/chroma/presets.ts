import type { ChromaKeySettings } from './key';

/**
 * Keys a person sets by hand rather than auto-key finding them (./auto-key.ts): the presets and
 * a colour picked. Plain data, so the pages that offer them carry none of the keying code.
 */

/** The ramps auto-key and a picked colour start with. */
export const SMOOTHNESS = 0.015;
export const SPILL = 0.04;
/** When the screen's colour is picked by hand, the similarity until the sliders move. */
const PICKED_SIMILARITY = 0.08;

/** The presets: which screen auto-key looks for, when the picture's border has more than one strong colour. */
export const KEY_PRESETS = { green: [0, 255, 0], blue: [0, 0, 255] } as const satisfies Record<string, readonly [number, number, number]>;

/** A key of a colour picked by hand (the eyedropper, a colour chosen), keeping the sliders already set. */
export function keyForColour(keyColor: readonly [number, number, number], current: ChromaKeySettings | null): ChromaKeySettings & { keyColor: [number, number, number] } {
  return { similarity: PICKED_SIMILARITY, smoothness: SMOOTHNESS, spill: SPILL, ...current, keyColor: [...keyColor] };
}
