/**
 * The Porter stemmer exactly as SQLite's FTS5 `porter` tokenizer applies it (ext/fts5/fts5_tokenize.c), so
 * that our own postings hold the same terms as papers_fts. It works on UTF-8 bytes, as the C code does:
 * tokens are given here as "byte strings" (one char per byte, see tokenizer.ts), and every byte above
 * 0x7f counts as a consonant.
 * @module
 */

const MAX_TOKEN = 64;

const isVowel = (c: string, yIsVowel: boolean) => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u' || (yIsVowel && c === 'y');

/** Index just past the first vowel-consonant sequence in s[from, to), or 0 if there is none. */
function gobbleVC(s: string, from: number, to: number, prevCons: boolean): number {
  let cons = prevCons;
  let i = from;
  for (; i < to; i++) {
    cons = !isVowel(s[i]!, cons);
    if (!cons) break;
  }
  for (i++; i < to; i++) {
    cons = !isVowel(s[i]!, cons);
    if (cons) return i + 1;
  }
  return 0;
}

const mGt0 = (s: string, n: number) => gobbleVC(s, 0, n, false) !== 0;
function mGt1(s: string, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k !== 0 && gobbleVC(s, k, n, true) !== 0;
}
function mEq1(s: string, n: number): boolean {
  const k = gobbleVC(s, 0, n, false);
  return k !== 0 && gobbleVC(s, k, n, true) === 0;
}
/** *o: the stem ends consonant-vowel-consonant, the last not w, x or y. */
function oStar(s: string, n: number): boolean {
  const last = s[n - 1];
  if (last === 'w' || last === 'x' || last === 'y') return false;
  let mask = 0;
  let cons = false;
  for (let i = 0; i < n; i++) {
    cons = !isVowel(s[i]!, cons);
    mask = ((mask << 1) + (cons ? 1 : 0)) & 0xff;
  }
  return (mask & 7) === 5;
}
const mGt1SorT = (s: string, n: number) => (s[n - 1] === 's' || s[n - 1] === 't') && mGt1(s, n);
function hasVowel(s: string, n: number): boolean {
  for (let i = 0; i < n; i++) if (isVowel(s[i]!, i > 0)) return true;
  return false;
}

type Condition = (s: string, n: number) => boolean;
/** [suffix, condition on the stem, replacement]; the first rule whose suffix matches decides (as the C switch does). */
type Rule = readonly [string, Condition | undefined, string];

/** Rules grouped by the second-last character of the word, in the C code's order. */
function rules(table: Record<string, readonly Rule[]>): (s: string) => string {
  return (s) => {
    const list = table[s[s.length - 2] ?? ''];
    if (!list) return s;
    for (const [suffix, condition, output] of list) {
      if (s.length > suffix.length && s.endsWith(suffix)) {
        const stem = s.length - suffix.length;
        return !condition || condition(s, stem) ? s.slice(0, stem) + output : s;
      }
    }
    return s;
  };
}

const step2 = rules({
  a: [['ational', mGt0, 'ate'], ['tional', mGt0, 'tion']],
  c: [['enci', mGt0, 'ence'], ['anci', mGt0, 'ance']],
  e: [['izer', mGt0, 'ize']],
  g: [['logi', mGt0, 'log']],
  l: [['bli', mGt0, 'ble'], ['alli', mGt0, 'al'], ['entli', mGt0, 'ent'], ['eli', mGt0, 'e'], ['ousli', mGt0, 'ous']],
  o: [['ization', mGt0, 'ize'], ['ation', mGt0, 'ate'], ['ator', mGt0, 'ate']],
  s: [['alism', mGt0, 'al'], ['iveness', mGt0, 'ive'], ['fulness', mGt0, 'ful'], ['ousness', mGt0, 'ous']],
  t: [['aliti', mGt0, 'al'], ['iviti', mGt0, 'ive'], ['biliti', mGt0, 'ble']],
});
const step3 = rules({
  a: [['ical', mGt0, 'ic']],
  s: [['ness', mGt0, '']],
  t: [['icate', mGt0, 'ic'], ['iciti', mGt0, 'ic']],
  u: [['ful', mGt0, '']],
  v: [['ative', mGt0, '']],
  z: [['alize', mGt0, 'al']],
});
const step4 = rules({
  a: [['al', mGt1, '']],
  c: [['ance', mGt1, ''], ['ence', mGt1, '']],
  e: [['er', mGt1, '']],
  i: [['ic', mGt1, '']],
  l: [['able', mGt1, ''], ['ible', mGt1, '']],
  n: [['ant', mGt1, ''], ['ement', mGt1, ''], ['ment', mGt1, ''], ['ent', mGt1, '']],
  o: [['ion', mGt1SorT, ''], ['ou', mGt1, '']],
  s: [['ism', mGt1, '']],
  t: [['ate', mGt1, ''], ['iti', mGt1, '']],
  u: [['ous', mGt1, '']],
  v: [['ive', mGt1, '']],
  z: [['ize', mGt1, '']],
});

function step1A(s: string): string {
  const n = s.length;
  if (s[n - 1] !== 's') return s;
  if (s[n - 2] === 'e') return (n > 4 && s[n - 4] === 's' && s[n - 3] === 's') || (n > 3 && s[n - 3] === 'i') ? s.slice(0, n - 2) : s.slice(0, n - 1);
  return s[n - 2] !== 's' ? s.slice(0, n - 1) : s;
}

/** Step 1B; `removed` tells whether -ed or -ing came off (then 1B2 and the clean-up run). */
function step1B(s: string): { word: string; removed: boolean } {
  const n = s.length;
  if (s[n - 2] === 'e') {
    if (n > 3 && s.endsWith('eed')) return { word: mGt0(s, n - 3) ? s.slice(0, n - 1) : s, removed: false };
    if (n > 2 && s.endsWith('ed')) return hasVowel(s, n - 2) ? { word: s.slice(0, n - 2), removed: true } : { word: s, removed: false };
  } else if (s[n - 2] === 'n' && n > 3 && s.endsWith('ing')) {
    if (hasVowel(s, n - 3)) return { word: s.slice(0, n - 3), removed: true };
  }
  return { word: s, removed: false };
}

function step1B2(s: string): string | undefined {
  const n = s.length;
  const pair = s.slice(n - 2);
  if (n > 2 && (pair === 'at' || pair === 'bl' || pair === 'iz')) return `${s}e`;
  return undefined;
}

/** Stems one folded token given as a byte string; tokens under 3 or over 64 bytes pass through. */
export function porterStem(token: string): string {
  if (token.length > MAX_TOKEN || token.length < 3) return token;
  let s = step1A(token);
  const b = step1B(s);
  s = b.word;
  if (b.removed) {
    const extended = step1B2(s);
    if (extended !== undefined) s = extended;
    else {
      const n = s.length;
      const c = s[n - 1]!;
      if (!isVowel(c, false) && c !== 'l' && c !== 's' && c !== 'z' && c === s[n - 2]) s = s.slice(0, n - 1);
      else if (mEq1(s, n) && oStar(s, n)) s = `${s}e`;
    }
  }
  if (s[s.length - 1] === 'y' && hasVowel(s, s.length - 1)) s = `${s.slice(0, -1)}i`;
  s = step4(step3(step2(s)));
  let n = s.length;
  if (s[n - 1] === 'e' && (mGt1(s, n - 1) || (mEq1(s, n - 1) && !oStar(s, n - 1)))) s = s.slice(0, --n);
  if (n > 1 && s[n - 1] === 'l' && s[n - 2] === 'l' && mGt1(s, n - 1)) s = s.slice(0, n - 1);
  return s;
}
