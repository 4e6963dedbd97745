/** Time left in an export, from how far it got and how long that took; null until there is enough to tell. */
export function timeLeftMs(fraction: number, elapsedMs: number): number | null {
  if (fraction < 0.03 || elapsedMs < 500) return null;
  if (fraction >= 1) return 0;
  return Math.round((elapsedMs / fraction) * (1 - fraction));
}
