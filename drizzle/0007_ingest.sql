CREATE TABLE `fetched_days` (
	`date` text PRIMARY KEY NOT NULL,
	`papers` integer NOT NULL,
	`fetched_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `paper_details_queue` (
	`paper_pk` integer PRIMARY KEY NOT NULL,
	`tries` integer DEFAULT 0 NOT NULL,
	`next_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Papers stored before this migration that only Hugging Face described (no arXiv version) wait for their details too.
INSERT INTO `paper_details_queue` (`paper_pk`) SELECT `pk` FROM `papers` WHERE `version` IS NULL;
