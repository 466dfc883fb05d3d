CREATE TABLE `heartbeats` (
	`pid` integer PRIMARY KEY NOT NULL,
	`started_at` integer NOT NULL,
	`beat_at` integer NOT NULL,
	`adapters` text NOT NULL,
	`scheduler_running` integer NOT NULL,
	`scheduled_tasks` integer NOT NULL,
	`stopped_at` integer
);
--> statement-breakpoint
CREATE INDEX `heartbeats_beat_idx` ON `heartbeats` (`beat_at`);