/**
 * Cron expressions and local dates for a channel's schedule (time, IANA timezone, weekdays).
 * @module
 */
import cron from 'node-cron';
import { DAY_NAMES, type DigestSettings } from '../subscriptions/settings.js';

/** node-cron pattern for HH:MM on ISO weekdays (7 = Sunday, which cron writes as 0). */
export function cronPattern(time: string, weekdays: readonly number[]): string {
  const [hh, mm] = time.split(':').map(Number);
  const days = [...new Set(weekdays.map((d) => d % 7))].sort((a, b) => a - b);
  return `${mm} ${hh} * * ${days.join(',')}`;
}

/** The roundup's "fri 16:00" as a pattern. */
export function roundupPattern(roundup: string): string {
  const [day, time] = roundup.split(' ');
  const iso = (DAY_NAMES as readonly string[]).indexOf(day ?? '') + 1;
  return cronPattern(time ?? '16:00', [iso]);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** Wall-clock parts of an instant in a timezone. */
export function localParts(instant: number, timezone: string): { date: string; isoWeekday: number; minutes: number } {
  const parts = formatterFor(timezone).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const isoWeekday = (DAY_NAMES as readonly string[]).indexOf(get('weekday').toLowerCase()) + 1;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, isoWeekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

const instants = new Map<string, number>();

/** The instant a local date and HH:MM happen in a timezone (a time skipped by a DST change: just after it). */
export function zonedInstant(date: string, time: string, timezone: string): number {
  // The scheduler asks the same few every minute.
  const key = `${date} ${time} ${timezone}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  if (instants.size > 10_000) instants.clear();
  const instant = computeZonedInstant(date, time, timezone);
  instants.set(key, instant);
  return instant;
}

function computeZonedInstant(date: string, time: string, timezone: string): number {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const [hh = 0, mm = 0] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const local = localParts(guess, timezone);
    const [ly = 1970, lm = 1, ld = 1] = local.date.split('-').map(Number);
    const seen = Date.UTC(ly, lm - 1, ld, 0, local.minutes);
    if (seen === wall) break;
    guess += wall - seen;
  }
  return guess;
}

/** YYYY-MM-DD `days` after (or before) `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The next time the digest runs, or null when the schedule never fires. */
export function nextRun(settings: Pick<DigestSettings, 'time' | 'timezone' | 'weekdays'>): Date | null {
  const task = cron.createTask(cronPattern(settings.time, settings.weekdays), () => undefined, { timezone: settings.timezone });
  try {
    return task.getNextRun();
  } finally {
    void task.destroy();
  }
}

/** One scheduled run: the channel's local date and the instant it was due. */
export interface Slot {
  date: string;
  at: number;
}

/** The latest scheduled run at or before `now` (within the last eight days), if any. */
export function latestSlot(settings: Pick<DigestSettings, 'time' | 'timezone' | 'weekdays'>, now: number): Slot | undefined {
  const today = localParts(now, settings.timezone).date;
  for (let back = 0; back <= 8; back++) {
    const date = addDays(today, -back);
    const isoWeekday = ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
    if (!settings.weekdays.includes(isoWeekday)) continue;
    const at = zonedInstant(date, settings.time, settings.timezone);
    if (at <= now) return { date, at };
  }
  return undefined;
}
