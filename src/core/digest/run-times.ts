/**
 * Cron expressions and local dates for a channel's schedule (time, IANA timezone, weekdays).
 * @module
 */
import cron from 'node-cron';
import type { DigestSettings } from '../subscriptions/settings.js';

/** node-cron pattern for HH:MM on ISO weekdays (7 = Sunday, which cron writes as 0). */
export function cronPattern(time: string, weekdays: readonly number[]): string {
  const [hh, mm] = time.split(':').map(Number);
  const days = [...new Set(weekdays.map((d) => d % 7))].sort((a, b) => a - b);
  return `${mm} ${hh} * * ${days.join(',')}`;
}

/** The roundup's "fri 16:00" as a pattern. */
export function roundupPattern(roundup: string): string {
  const [day, time] = roundup.split(' ');
  const iso = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].indexOf(day ?? '') + 1;
  return cronPattern(time ?? '16:00', [iso]);
}

/** Wall-clock parts of an instant in a timezone. */
export function localParts(instant: number, timezone: string): { date: string; isoWeekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const isoWeekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, isoWeekday, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
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

/**
 * How long ago today's run time passed, in the subscription's timezone, if today is one of its days
 * and the time has passed; otherwise undefined. Used to catch up a run missed while the bot was down.
 */
export function missedBy(settings: Pick<DigestSettings, 'time' | 'timezone' | 'weekdays'>, now: number): { date: string; agoMs: number } | undefined {
  const local = localParts(now, settings.timezone);
  if (!settings.weekdays.includes(local.isoWeekday)) return undefined;
  const [hh, mm] = settings.time.split(':').map(Number);
  const ago = local.minutes - ((hh ?? 0) * 60 + (mm ?? 0));
  return ago >= 0 ? { date: local.date, agoMs: ago * 60_000 } : undefined;
}
