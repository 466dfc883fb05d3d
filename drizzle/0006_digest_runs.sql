CREATE TABLE `digest_runs` (
	`id` integer PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`workspace` text NOT NULL,
	`channel` text NOT NULL,
	`digest` text NOT NULL,
	`digest_date` text NOT NULL,
	`source` text NOT NULL,
	`window_from` integer,
	`window_to` integer,
	`dates` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_runs_ref_idx` ON `digest_runs` (`platform`,`workspace`,`channel`,`digest`,`digest_date`);--> statement-breakpoint
ALTER TABLE `daily_papers` ADD `entered_at` integer;--> statement-breakpoint
CREATE INDEX `daily_papers_entered_idx` ON `daily_papers` (`entered_at`);--> statement-breakpoint
-- Lists stored before entered_at: their papers count as entered at the start of their date (UTC).
UPDATE `daily_papers` SET `entered_at` = CAST(strftime('%s', `date`) AS integer) * 1000 WHERE `entered_at` IS NULL;
