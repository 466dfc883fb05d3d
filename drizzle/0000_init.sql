CREATE TABLE `daily_papers` (
	`date` text NOT NULL,
	`paper_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`date`, `paper_id`),
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `papers` (
	`pk` integer PRIMARY KEY NOT NULL,
	`id` text NOT NULL,
	`version` integer,
	`title` text NOT NULL,
	`authors` text NOT NULL,
	`abstract` text DEFAULT '' NOT NULL,
	`published_at` text,
	`updated_at` text,
	`categories` text DEFAULT '[]' NOT NULL,
	`primary_category` text,
	`comment` text,
	`journal_ref` text,
	`doi` text,
	`code_url` text,
	`project_url` text,
	`github_stars` integer,
	`hf_upvotes` integer,
	`ai_summary` text,
	`ai_keywords` text,
	`first_seen_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`revised_at` integer,
	`refreshed_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `papers_id_unique` ON `papers` (`id`);--> statement-breakpoint
CREATE INDEX `papers_published_idx` ON `papers` (`published_at`);--> statement-breakpoint
CREATE TABLE `posts` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`platform` text NOT NULL,
	`workspace` text NOT NULL,
	`channel` text NOT NULL,
	`digest` text NOT NULL,
	`digest_date` text NOT NULL,
	`kind` text NOT NULL,
	`paper_id` text,
	`position` integer,
	`container` text,
	`message_id` text,
	`state` text DEFAULT 'pending' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`posted_at` integer,
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `posts_key_unique` ON `posts` (`key`);--> statement-breakpoint
CREATE INDEX `posts_message_idx` ON `posts` (`platform`,`workspace`,`message_id`);--> statement-breakpoint
CREATE INDEX `posts_digest_idx` ON `posts` (`platform`,`workspace`,`channel`,`digest`,`digest_date`);--> statement-breakpoint
CREATE TABLE `reactions` (
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
CREATE TABLE `subscriptions` (
	`id` integer PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`workspace` text NOT NULL,
	`channel` text NOT NULL,
	`time` text DEFAULT '09:00' NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`weekdays` text DEFAULT '[1,2,3,4,5]' NOT NULL,
	`source` text DEFAULT 'hf' NOT NULL,
	`categories` text DEFAULT '[]' NOT NULL,
	`size` integer DEFAULT 10 NOT NULL,
	`min_upvotes` integer DEFAULT 0 NOT NULL,
	`include_keywords` text DEFAULT '[]' NOT NULL,
	`exclude_keywords` text DEFAULT '[]' NOT NULL,
	`language` text DEFAULT 'en' NOT NULL,
	`style` text DEFAULT 'tldr' NOT NULL,
	`vote_emojis` text DEFAULT '["👍","🔥","⬆️","❤️"]' NOT NULL,
	`roundup` text,
	`notify_empty` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`failure` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscriptions_channel_idx` ON `subscriptions` (`platform`,`workspace`,`channel`);--> statement-breakpoint
CREATE TABLE `texts` (
	`id` integer PRIMARY KEY NOT NULL,
	`paper_id` text NOT NULL,
	`kind` text NOT NULL,
	`style` text NOT NULL,
	`language` text NOT NULL,
	`model` text NOT NULL,
	`prompt_version` text NOT NULL,
	`body` text NOT NULL,
	`prompt_tokens` integer,
	`completion_tokens` integer,
	`hits` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`paper_id`) REFERENCES `papers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `texts_key_idx` ON `texts` (`paper_id`,`kind`,`style`,`language`,`model`,`prompt_version`);--> statement-breakpoint
CREATE TABLE `vote_tallies` (
	`scope` text NOT NULL,
	`paper_id` text NOT NULL,
	`votes` integer NOT NULL,
	`posted_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `paper_id`)
);
--> statement-breakpoint
CREATE INDEX `vote_tallies_posted_idx` ON `vote_tallies` (`scope`,`posted_at`);--> statement-breakpoint
CREATE TABLE `voters` (
	`scope` text NOT NULL,
	`paper_id` text NOT NULL,
	`user` text NOT NULL,
	`refs` integer NOT NULL,
	PRIMARY KEY(`scope`, `paper_id`, `user`)
);
