import type { MessageKey } from '../i18n';

/**
 * The eleven photo-booth filters, as CSS filter functions. One table drives both the live
 * preview (CSS `filter` on the video) and the saved picture (the 2D canvas `filter`, which takes
 * the same syntax), so what you see is what you save.
 */
export interface FilterDef {
  id: FilterId;
  label: MessageKey;
  /** The strength the filter starts at: the document's value. */
  default: number;
  min: number;
  max: number;
  step: number;
  /** The CSS function at a strength. */
  css(amount: number): string;
}

export type FilterId =
  | 'blur'
  | 'brightness'
  | 'contrast'
  | 'grayscale'
  | 'hue-rotate'
  | 'invert'
  | 'opacity'
  | 'saturate'
  | 'desaturate'
  | 'sepia'
  | 'drop-shadow';

export const FILTERS: readonly FilterDef[] = [
  { id: 'blur', label: 'filterBlur', default: 5, min: 0, max: 20, step: 0.5, css: (v) => `blur(${v}px)` },
  { id: 'brightness', label: 'filterBrightness', default: 0.5, min: 0, max: 2, step: 0.05, css: (v) => `brightness(${v})` },
  { id: 'contrast', label: 'filterContrast', default: 200, min: 0, max: 400, step: 5, css: (v) => `contrast(${v}%)` },
  { id: 'grayscale', label: 'filterGrayscale', default: 100, min: 0, max: 100, step: 5, css: (v) => `grayscale(${v}%)` },
  { id: 'hue-rotate', label: 'filterHueRotate', default: 90, min: 0, max: 360, step: 5, css: (v) => `hue-rotate(${v}deg)` },
  { id: 'invert', label: 'filterInvert', default: 100, min: 0, max: 100, step: 5, css: (v) => `invert(${v}%)` },
  { id: 'opacity', label: 'filterOpacity', default: 90, min: 0, max: 100, step: 5, css: (v) => `opacity(${v}%)` },
  { id: 'saturate', label: 'filterSaturate', default: 200, min: 100, max: 400, step: 5, css: (v) => `saturate(${v}%)` },
  { id: 'desaturate', label: 'filterDesaturate', default: 20, min: 0, max: 100, step: 5, css: (v) => `saturate(${v}%)` },
  { id: 'sepia', label: 'filterSepia', default: 100, min: 0, max: 100, step: 5, css: (v) => `sepia(${v}%)` },
  { id: 'drop-shadow', label: 'filterDropShadow', default: 4, min: 0, max: 20, step: 1, css: (v) => `drop-shadow(${v}px ${v}px ${2 * v}px blue)` },
];

/** Which filters are on, and how strong: filters apply in the table's order. */
export type FilterSelection = Partial<Record<FilterId, number>>;

const BY_ID = new Map(FILTERS.map((f) => [f.id, f]));

export function filterById(id: FilterId): FilterDef {
  return BY_ID.get(id)!;
}

/** A strength within the filter's range (a stored or typed value may be anything). */
export function clampStrength(id: FilterId, amount: unknown): number {
  const def = filterById(id);
  const value = typeof amount === 'number' && Number.isFinite(amount) ? amount : def.default;
  return Math.min(def.max, Math.max(def.min, value));
}

/** The CSS `filter` value for a selection: 'none' when nothing is on. */
export function filterCss(selection: FilterSelection): string {
  const parts = FILTERS.filter((f) => selection[f.id] !== undefined).map((f) => f.css(clampStrength(f.id, selection[f.id])));
  return parts.length > 0 ? parts.join(' ') : 'none';
}

/** Turns one filter on at its default strength, or off. */
export function toggleFilter(selection: FilterSelection, id: FilterId): FilterSelection {
  const next = { ...selection };
  if (next[id] === undefined) next[id] = filterById(id).default;
  else delete next[id];
  return next;
}

/** Parses a stored selection, keeping only known filters with strengths in range. */
export function parseSelection(raw: unknown): FilterSelection {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const selection: FilterSelection = {};
  for (const [id, amount] of Object.entries(raw)) {
    if (BY_ID.has(id as FilterId) && typeof amount === 'number' && Number.isFinite(amount)) selection[id as FilterId] = clampStrength(id as FilterId, amount);
  }
  return selection;
}

/** The next (or previous) single filter in the table; past either end, no filter. */
export function stepFilter(selection: FilterSelection, direction: 1 | -1): FilterSelection {
  const on = Object.keys(selection) as FilterId[];
  const index = on.length === 1 ? FILTERS.findIndex((f) => f.id === on[0]) : -1;
  const next = index === -1 ? (direction === 1 ? 0 : FILTERS.length - 1) : index + direction;
  const filter = FILTERS[next];
  return filter ? { [filter.id]: filter.default } : {};
}
