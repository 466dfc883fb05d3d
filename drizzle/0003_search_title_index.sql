-- Search ranks every match (core/papers/search.ts): the second index of recent papers goes.
DROP TRIGGER IF EXISTS `papers_recent_after_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `papers_recent_after_update`;
--> statement-breakpoint
DROP TABLE IF EXISTS `papers_recent_fts`;
--> statement-breakpoint
-- Titles alone, for the rule that a pasted title finds its paper first. Words as typed (no stemming),
-- any case and accents; which words, not where: detail=none keeps it about a tenth of papers_fts.
-- Contentless: rows leave by rowid. Papers are indexed by PaperStore, as papers_fts is.
CREATE VIRTUAL TABLE `papers_title_fts` USING fts5(
  title, content='', contentless_delete=1, detail='none',
  tokenize='unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO papers_title_fts(papers_title_fts, rank) VALUES('hashsize', 16777216);
--> statement-breakpoint
-- Each title ends with a token naming its word count (`ptlen7`, see core/papers/title-index.ts), so that
-- a pasted title looks only at titles of about its length. Existing titles get the count FTS5 takes
-- for them: indexed once plainly, counted from the index's sizes, indexed again with the token.
INSERT INTO papers_title_fts(rowid, title) SELECT pk, title FROM papers;
--> statement-breakpoint
CREATE TEMP TABLE `title_sizes` AS SELECT id, coalesce(unicode(CAST(sz AS TEXT)), 0) AS n FROM papers_title_fts_docsize;
--> statement-breakpoint
INSERT INTO papers_title_fts(papers_title_fts) VALUES('delete-all');
--> statement-breakpoint
INSERT INTO papers_title_fts(rowid, title) SELECT p.pk, p.title || ' ptlen' || s.n FROM papers p JOIN title_sizes s ON s.id = p.pk;
--> statement-breakpoint
DROP TABLE `title_sizes`;
--> statement-breakpoint
-- A changed title is indexed again by PaperStore (it counts the words); a deleted paper leaves here.
CREATE TRIGGER `papers_title_after_delete` AFTER DELETE ON `papers` BEGIN
  DELETE FROM papers_title_fts WHERE rowid = old.pk;
END;
