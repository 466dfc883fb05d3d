CREATE TABLE `search_chunks` (
	`id` integer PRIMARY KEY NOT NULL,
	`term` text NOT NULL,
	`segment` integer NOT NULL,
	`first_pk` integer NOT NULL,
	`last_pk` integer NOT NULL,
	`count` integer NOT NULL,
	`bound` real NOT NULL,
	`pks` blob NOT NULL,
	`freqs` blob NOT NULL,
	`bounds` blob NOT NULL
);
--> statement-breakpoint
CREATE INDEX `search_chunks_term_idx` ON `search_chunks` (`term`,`segment`,`first_pk`,`last_pk`,`count`,`bound`);--> statement-breakpoint
CREATE INDEX `search_chunks_segment_idx` ON `search_chunks` (`segment`);--> statement-breakpoint
CREATE TABLE `search_dead_terms` (
	`segment` integer NOT NULL,
	`term` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`segment`, `term`)
);
--> statement-breakpoint
CREATE TABLE `search_pending` (
	`pk` integer PRIMARY KEY NOT NULL,
	`changes` integer DEFAULT 1 NOT NULL,
	`title` text NOT NULL,
	`authors` text NOT NULL,
	`abstract` text NOT NULL,
	`categories` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `search_segments` (
	`id` integer PRIMARY KEY NOT NULL,
	`docs` blob NOT NULL,
	`lengths` blob NOT NULL,
	`days` blob NOT NULL,
	`average_length` real NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `search_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
-- A paper whose indexed parts change is indexed again (core/papers/search-index/). The version that was
-- indexed is kept, once, so its terms can leave the statistics; later changes only count up. Inserts need
-- no trigger: the index takes every pk above the highest it has indexed.
CREATE TRIGGER `search_pending_after_update` AFTER UPDATE ON `papers`
WHEN old.title IS NOT new.title OR old.authors IS NOT new.authors OR old.abstract IS NOT new.abstract
  OR old.categories IS NOT new.categories OR old.published_at IS NOT new.published_at
BEGIN
  INSERT INTO search_pending (pk, title, authors, abstract, categories)
  VALUES (old.pk, old.title, old.authors, old.abstract, old.categories) ON CONFLICT (pk) DO UPDATE SET changes = changes + 1;
END;
