import { describe, expect, it } from 'vitest';
import { dateProblem, isIsoDate, lastPaperDay } from '../src/strings.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('dates papers can have', () => {
  it.each(['1991-01-01', '2024-03-14', '2024-02-29', '2027-12-31'])('%s is one', (date) => {
    expect(dateProblem(date, NOW)).toBeUndefined();
    expect(isIsoDate(date, NOW)).toBe(true);
  });

  it.each(['0000-01-01', '1990-12-31', '2028-01-01', '9999-12-31'])('%s is outside the range, and says which days work', (date) => {
    expect(dateProblem(date, NOW)).toBe(`"${date}" is outside the days papers can have: use a date from 1991-01-01 to 2027-12-31.`);
    expect(isIsoDate(date, NOW)).toBe(false);
  });

  it.each(['2024-02-30', '2023-02-29', '2024-3-14', '20240314', '2024-03-14T00:00', ' 2024-03-14', '+02024-03-14', ''])('%j is not a date', (date) => {
    expect(dateProblem(date, NOW)).toMatch(/^Not a date/);
  });

  it('the last day moves with the clock', () => {
    expect(lastPaperDay(Date.parse('2031-01-01T00:00:00Z'))).toBe('2032-12-31');
  });
});
