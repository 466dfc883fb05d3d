/**
 * Query strings a search box meets in the wild: FTS5 syntax, SQL fragments, unicode, control
 * characters and very long input. None of them carries one of our filters (author:, since:, cat:).
 */
export function hostileQueries(): string[] {
  const fts = [
    '"', '""', '"""', '"unclosed', 'unclosed"', "'", "''", '*', '**', '*gemma', 'gemma*', '^gemma', 'gemma^',
    '(', ')', '()', '((gemma', 'gemma))', '(gemma OR', 'AND', 'OR', 'NOT', 'AND OR NOT', 'gemma AND', 'OR gemma',
    'NOT gemma', 'gemma NOT', 'NEAR', 'NEAR(', 'NEAR(gemma', 'NEAR(gemma attention, 2)', 'NEAR/3', 'gemma NEAR/2 models',
    'title:', 'title:gemma', 'abstract:"x"', 'authors:', '{title abstract}: gemma', '{title', '- gemma', '-gemma', '+gemma',
    'papers_fts', 'papers_fts:gemma', 'rank:1', 'bm25(papers_fts)', 'col:', ':', '::', 'a:b:c', '"a" "b" "c"',
    '"gemma" + "models"', 'gemma + *', '* + *', 'x OR OR y', 'NOT NOT', '((((((((((', '))))))))))', '"*"', '"^"',
  ];
  const sql = [
    "'; DROP TABLE papers; --", '" OR 1=1 --', "1' OR '1'='1", 'UNION SELECT * FROM papers', '/* comment */',
    '-- comment', '; DELETE FROM posts', "gemma'); DROP TABLE papers;--", 'SELECT sqlite_version()', '%', '%%', '_',
    "\\'", '\\"', '`', '``', '$1', '?', '?1', ':name', '@param', '\\', '\\\\', 'x\\', 'NULL', 'null', '0x00', '%00',
  ];
  const unicode = [
    '机器学习', 'трансформеры', '한국어 모델', 'العربية', 'עברית', 'ελληνικά', 'Amélie Héliou', 'naïve café',
    '🔥', '🔥🔥🔥', '👍🏽', '👨‍👩‍👧', '∑∫∂', 'π', 'SOTOPIA-π', 'x²', '①②③', 'ｆｕｌｌｗｉｄｔｈ', 'İstanbul', 'ß',
    '\u200b', 'a\u200bb', '\u202egemma', '\ufeffgemma', '\u0000', 'a\u0000b', '\u0007bell', '\t', '\n\n', 'line1\nline2',
    '\u00a0', 'e\u0301', 'Ω', '🤖 robots', '<@U12345>', '<!channel>', '@everyone', '@here', '<script>alert(1)</script>',
  ];
  const long = [
    'a'.repeat(10_000), 'gemma '.repeat(2_000), '"'.repeat(10_000), '('.repeat(5_000), 'NEAR('.repeat(2_000),
    'x OR '.repeat(2_000), '🔥'.repeat(5_000), '*'.repeat(10_000), 'word'.repeat(2_500), Array.from({ length: 500 }, (_, i) => `t${i}`).join(' '),
  ];
  const mixed: string[] = [];
  const pieces = ['gemma', '"', '*', 'OR', 'NEAR', '(', ')', ':', 'title', '🔥', "'", '-', '^', 'AND', 'π', ';', 'NOT', '{', '}'];
  // A fixed pseudo-random mix, so every run tests the same strings.
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  while (fts.length + sql.length + unicode.length + long.length + mixed.length < 220) {
    const n = 1 + (next() % 6);
    mixed.push(Array.from({ length: n }, () => pieces[next() % pieces.length]).join(next() % 2 ? ' ' : ''));
  }
  return [...fts, ...sql, ...unicode, ...long, ...mixed].filter((q) => q.trim() !== '');
}
