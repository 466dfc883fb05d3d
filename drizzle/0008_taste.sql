CREATE TABLE `down_votes` (
	`platform` text NOT NULL,
	`workspace` text NOT NULL,
	`channel` text NOT NULL,
	`message_id` text NOT NULL,
	`user_id` text NOT NULL,
	`emoji` text NOT NULL,
	`paper_id` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`platform`, `workspace`, `message_id`, `user_id`, `emoji`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `taste_models` (
	`scope` text PRIMARY KEY NOT NULL,
	`reset_at` integer DEFAULT 0 NOT NULL,
	`fitted_at` integer,
	`positives` integer DEFAULT 0 NOT NULL,
	`strong_negatives` integer DEFAULT 0 NOT NULL,
	`weak_negatives` integer DEFAULT 0 NOT NULL,
	`bias` real,
	`weights` blob,
	`summary` text
);
--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `down_emojis` text DEFAULT '["👎"]' NOT NULL;--> statement-breakpoint
ALTER TABLE `subscriptions` ADD `taste` text DEFAULT 'on' NOT NULL;