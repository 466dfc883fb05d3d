/**
 * When arXiv announced a new submission, estimated from its first version's time: submissions received
 * before 14:00 US Eastern on a weekday are announced at 20:00 that day, Monday to Thursday; Friday's are
 * announced on Sunday. The API lists only announced papers, so an estimate off by a holiday only moves a
 * paper to a later digest (windows overlap by a day for this).
 * @module
 */
import { addDays, localParts, zonedInstant } from './run-times.js';

const EASTERN = 'America/New_York';
const CUTOFF_MINUTES = 14 * 60;
const ANNOUNCE = '20:00';

const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

export function announcedAt(publishedMs: number): number {
  const local = localParts(publishedMs, EASTERN);
  let date = local.date;
  if (local.isoWeekday <= 5 && local.minutes >= CUTOFF_MINUTES) date = addDays(date, 1);
  while (isoWeekday(date) > 5) date = addDays(date, 1);
  if (isoWeekday(date) === 5) date = addDays(date, 2);
  return zonedInstant(date, ANNOUNCE, EASTERN);
}

/** The latest announcement at or before `now` (Sunday to Thursday, 20:00 US Eastern). */
export function latestAnnouncement(now: number): number {
  const today = localParts(now, EASTERN).date;
  for (let back = 0; back < 7; back++) {
    const date = addDays(today, -back);
    if (isoWeekday(date) === 5 || isoWeekday(date) === 6) continue;
    const at = zonedInstant(date, ANNOUNCE, EASTERN);
    if (at <= now) return at;
  }
  return now;
}
