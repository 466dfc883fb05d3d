import { describe, expect, it } from 'vitest';
import { collapseWhitespace, dateProblem, isIsoDate, lastPaperDay, neutralizeMentions } from '../src/strings.js';

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

describe('collapseWhitespace', () => {
  it('gives what replacing every run of whitespace and trimming gives, for any mix of spaces', () => {
    const pieces = ['a', 'word', 'é', ' ', ' ', '\n', '\t', '\r\n', '\u00a0', '\u2009', '\u3000', '\ufeff', '\u2028', '.'];
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: Math.floor(next() * 12) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      expect(collapseWhitespace(text)).toBe(text.replace(/\s+/g, ' ').trim());
    }
    expect(collapseWhitespace('Already one line.')).toBe('Already one line.');
  });
});

describe('mentions in outside text', () => {
  const Z = '\u200b';
  it('neutralizes every Discord mention form', () => {
    expect(neutralizeMentions('@everyone @Here <@1> <@!2> <@&3>')).toBe('@\u200beveryone @\u200bHere <\u200b@1> <\u200b@!2> <\u200b@&3>');
  });

  it.each([
    ['@everyone read this', `@${Z}everyone read this`],
    ['hi @here and @channel', `hi @${Z}here and @${Z}channel`],
    ['ping <!channel> now <!here|here>', `ping <${Z}!channel> now <${Z}!here|here>`],
    ['by <@U024BE7LH> and <@!123456789012345678> in <#C123|general> for <@&42>', `by <${Z}@U024BE7LH> and <${Z}@!123456789012345678> in <${Z}#C123|general> for <${Z}@&42>`],
    ['team <!subteam^S123|@team>!', `team <${Z}!subteam^S123|@team>!`],
    ['＠everyone', `＠${Z}everyone`],
    ['no mention here: a@b.example', 'no mention here: a@b.example'],
  ])('neutralizes %j, keeping every word', (input, output) => {
    expect(neutralizeMentions(input)).toBe(output);
  });
});
