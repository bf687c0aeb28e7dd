/**
 * The daily anchor runs at 02:00 Asia/Shanghai (18:00 UTC the day before), after the day's
 * work: China has no daylight saving, so a fixed UTC hour is exact.
 */
export const ANCHOR_HOUR_SHANGHAI = 2;
const ANCHOR_UTC_HOUR = (ANCHOR_HOUR_SHANGHAI + 24 - 8) % 24;

/** The first anchor time strictly after `now`. */
export function nextAnchorAt(now: Date): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), ANCHOR_UTC_HOUR));
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}
