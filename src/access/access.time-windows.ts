import { DAY_MS, MINUTE_MS } from '../shared/clock.ts';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A recurring window such as a shift: on these days, from start to end (HH:MM), local time. */
export interface TimeWindow {
  days: Weekday[];
  start: string;
  end: string;
  /** IANA time zone, e.g. `Europe/Paris`. */
  timeZone: string;
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseHhmm(text: string): number | null {
  const match = HHMM.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

// Offsets only change on quarter hours in every IANA zone, so one lookup per 15-minute bucket is exact.
const OFFSET_BUCKET_MS = 15 * MINUTE_MS;

/**
 * UTC offset (ms) of a time zone at an instant. Intl formatting costs microseconds, so results are
 * cached per zone and 15-minute bucket: decisions stay in the nanosecond range.
 */
class OffsetCache {
  private readonly formatters = new Map<string, Intl.DateTimeFormat>();
  private readonly offsets = new Map<string, { bucket: number; offset: number }>();

  offset(timeZone: string, now: number): number {
    const bucket = Math.floor(now / OFFSET_BUCKET_MS);
    const cached = this.offsets.get(timeZone);
    if (cached && cached.bucket === bucket) return cached.offset;
    const offset = this.compute(timeZone, bucket * OFFSET_BUCKET_MS);
    this.offsets.set(timeZone, { bucket, offset });
    return offset;
  }

  private compute(timeZone: string, at: number): number {
    let formatter = this.formatters.get(timeZone);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
      this.formatters.set(timeZone, formatter);
    }
    const parts: Record<string, number> = {};
    for (const part of formatter.formatToParts(at)) parts[part.type] = Number(part.value);
    const local = Date.UTC(parts['year']!, parts['month']! - 1, parts['day'], parts['hour'], parts['minute']);
    return local - at;
  }
}

const offsets = new OffsetCache();

/** A window ready for evaluation: day bit mask (bit 0 = Sunday) and minutes since local midnight. */
export interface CompiledWindow {
  dayMask: number;
  startMinute: number;
  endMinute: number;
  timeZone: string;
}

export function compileWindow(window: TimeWindow): CompiledWindow {
  const startMinute = parseHhmm(window.start);
  const endMinute = parseHhmm(window.end);
  if (startMinute === null || endMinute === null) throw new Error('time window start and end must be HH:MM');
  let dayMask = 0;
  for (const day of window.days) dayMask |= 1 << WEEKDAYS.indexOf(day);
  return { dayMask, startMinute, endMinute, timeZone: window.timeZone };
}

/**
 * Whether the instant falls in the window. A window whose end is before its start runs overnight
 * (22:00-06:00): its days name the evening it starts, so Friday's night shift ends Saturday 06:00.
 */
export function inWindow(window: CompiledWindow, now: number): boolean {
  const local = now + offsets.offset(window.timeZone, now);
  const dayNumber = Math.floor(local / DAY_MS);
  const minute = Math.floor((local - dayNumber * DAY_MS) / MINUTE_MS);
  // 1970-01-01 was a Thursday (day 4 with Sunday = 0).
  const weekday = (((dayNumber + 4) % 7) + 7) % 7;
  const today = (window.dayMask & (1 << weekday)) !== 0;
  if (window.startMinute < window.endMinute) {
    return today && minute >= window.startMinute && minute < window.endMinute;
  }
  const yesterday = (window.dayMask & (1 << ((weekday + 6) % 7))) !== 0;
  return (today && minute >= window.startMinute) || (yesterday && minute < window.endMinute);
}

export function inAnyWindow(windows: readonly CompiledWindow[], now: number): boolean {
  for (const window of windows) if (inWindow(window, now)) return true;
  return false;
}

/** "mon-fri 08:00-18:00 Europe/Paris" for denial messages and reports. */
export function describeWindow(window: TimeWindow): string {
  return `${window.days.join(',')} ${window.start}-${window.end} ${window.timeZone}`;
}
