-- Full-text index over papers (FTS5, BM25). drizzle-kit cannot describe virtual tables, so this
-- migration is written by hand. External content: the text lives once, in papers; the index points
-- at papers.pk. Authors are stored as a JSON array and indexed as "A, B, C".
CREATE VIRTUAL TABLE `papers_fts` USING fts5(
  title, authors, abstract,
  content='papers', content_rowid='pk',
  tokenize='porter unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `papers_fts_after_insert` AFTER INSERT ON `papers` BEGIN
  INSERT INTO papers_fts(rowid, title, authors, abstract)
  VALUES (new.pk, new.title, (SELECT group_concat(value, ', ') FROM json_each(new.authors)), new.abstract);
END;
--> statement-breakpoint
CREATE TRIGGER `papers_fts_after_delete` AFTER DELETE ON `papers` BEGIN
  INSERT INTO papers_fts(papers_fts, rowid, title, authors, abstract)
  VALUES ('delete', old.pk, old.title, (SELECT group_concat(value, ', ') FROM json_each(old.authors)), old.abstract);
END;
--> statement-breakpoint
CREATE TRIGGER `papers_fts_after_update` AFTER UPDATE ON `papers`
WHEN old.title IS NOT new.title OR old.authors IS NOT new.authors OR old.abstract IS NOT new.abstract
BEGIN
  INSERT INTO papers_fts(papers_fts, rowid, title, authors, abstract)
  VALUES ('delete', old.pk, old.title, (SELECT group_concat(value, ', ') FROM json_each(old.authors)), old.abstract);
  INSERT INTO papers_fts(rowid, title, authors, abstract)
  VALUES (new.pk, new.title, (SELECT group_concat(value, ', ') FROM json_each(new.authors)), new.abstract);
END;
