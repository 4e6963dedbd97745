import { describe, expect, it } from 'vitest';
import { clampStrength, FILTERS, filterCss, parseSelection, stepFilter, toggleFilter } from './filters';

describe('the eleven filters', () => {
  it('are the document’s eleven, at its strengths', () => {
    expect(FILTERS.map((f) => f.css(f.default))).toEqual([
      'blur(5px)',
      'brightness(0.5)',
      'contrast(200%)',
      'grayscale(100%)',
      'hue-rotate(90deg)',
      'invert(100%)',
      'opacity(90%)',
      'saturate(200%)',
      'saturate(20%)',
      'sepia(100%)',
      'drop-shadow(4px 4px 8px blue)',
    ]);
    for (const f of FILTERS) {
      expect(f.default).toBeGreaterThanOrEqual(f.min);
      expect(f.default).toBeLessThanOrEqual(f.max);
    }
  });

  it('combine in table order, whatever order they were switched on', () => {
    let selection = toggleFilter({}, 'sepia');
    selection = toggleFilter(selection, 'blur');
    expect(filterCss(selection)).toBe('blur(5px) sepia(100%)');
    expect(filterCss(toggleFilter(selection, 'blur'))).toBe('sepia(100%)');
    expect(filterCss({})).toBe('none');
    expect(filterCss({ brightness: 1.5, grayscale: 40 })).toBe('brightness(1.5) grayscale(40%)');
  });

  it('keep strengths in range and drop what is unknown', () => {
    expect(clampStrength('blur', 99)).toBe(20);
    expect(clampStrength('contrast', -1)).toBe(0);
    expect(clampStrength('sepia', 'x')).toBe(100);
    expect(parseSelection({ blur: 3, nope: 1, sepia: 'x', invert: 500 })).toEqual({ blur: 3, invert: 100 });
    expect(parseSelection(null)).toEqual({});
    expect(filterCss({ blur: Number.NaN })).toBe('blur(5px)');
  });
});

describe('stepping through the filters (← →)', () => {
  it('goes one filter at a time, and past either end to no filter', () => {
    expect(stepFilter({}, 1)).toEqual({ blur: 5 });
    expect(stepFilter({ blur: 5 }, 1)).toEqual({ brightness: 0.5 });
    expect(stepFilter({ 'drop-shadow': 4 }, 1)).toEqual({});
    expect(stepFilter({}, -1)).toEqual({ 'drop-shadow': 4 });
    expect(stepFilter({ blur: 9 }, -1)).toEqual({});
    // Several filters on: a step starts over from the first.
    expect(stepFilter({ blur: 5, sepia: 100 }, 1)).toEqual({ blur: 5 });
  });
});
