import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { porterStem } from '../../../../src/core/papers/search-index/porter.js';
import { Fts5Tokenizer } from '../../../../src/core/papers/search-index/tokenizer.js';

/** The terms FTS5 itself makes of each text, with papers_fts's tokenizer. */
function fts5Terms(texts: readonly string[]): string[][] {
  const db = new BetterSqlite3(':memory:');
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize='porter unicode61 remove_diacritics 2');
           CREATE VIRTUAL TABLE v USING fts5vocab(t, instance);`);
  const insert = db.prepare('INSERT INTO t(rowid, x) VALUES (?, ?)');
  texts.forEach((text, i) => insert.run(i + 1, text));
  const out = texts.map((): string[] => []);
  for (const { term, doc } of db.prepare('SELECT term, doc FROM v ORDER BY doc, "offset"').all() as { term: string; doc: number }[]) out[doc - 1]!.push(term);
  db.close();
  return out;
}

const texts = [
  'Gemma: Open Models Based on Gemini Research and Technology',
  'We introduce state-of-the-art, pre-trained models; GPT-4 (and GPT-4o) achieve 95.3% on GSM8K.',
  'Ñandú naïve café Über größer Straße İstanbul ŞÇ résumés Ǖǖ ﬁnance Ⅻ ½ x² 𝐀𝐁',
  'Nguyễn Văn An, Đặng Thị Hoa, 김민준, 中文分词, Дмитрий Йошкар-Ола, Αλέξανδρος Παπαδόπουλος',
  'connections generalizations hopping falling sky agreed conditional rational relational triplicate',
  'hyphen-ated\nline breaks\tand    spaces, arXiv:2403.08295v2 — with “quotes” and emoji 🎯🚀',
  'عربي हिन्दी ภาษาไทย ქართული עברית',
  'a ab abc abcd ponies caresses ties caress cats feed agreed plastered bled motoring sing conflated troubled sized hopping tanned falling hissing fizzed failing filing happy sky',
  `${'x'.repeat(70)}ing ${'ab'.repeat(40)}s`,
];

describe('Fts5Tokenizer', () => {
  it('makes the terms papers_fts makes, for every script and stemming rule', () => {
    const tokenizer = new Fts5Tokenizer();
    expect(texts.map((t) => tokenizer.termsIn(t))).toEqual(fts5Terms(texts));
  });

  it('numbers each term once, whatever word it came from', () => {
    const tokenizer = new Fts5Tokenizer();
    const ids: number[] = [];
    tokenizer.tokenIds('Models model MODELS modeling', (id) => ids.push(id));
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(tokenizer.terms[ids[0]!]).toBe('model');
  });

  it('leaves tokens under 3 or over 64 bytes unstemmed, as FTS5 does', () => {
    expect(porterStem('is')).toBe('is');
    expect(porterStem('caresses')).toBe('caress');
    expect(porterStem(`${'x'.repeat(70)}ing`)).toBe(`${'x'.repeat(70)}ing`);
  });
});
