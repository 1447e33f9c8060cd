CREATE TABLE `learner_activity_totals` (
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`skill` text NOT NULL,
	`actions` integer DEFAULT 0 NOT NULL,
	`seconds` integer DEFAULT 0 NOT NULL,
	`xp` integer DEFAULT 0 NOT NULL,
	`correct` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `kind`, `skill`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `learner_totals` (
	`user_id` text PRIMARY KEY NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`streak_current` integer DEFAULT 0 NOT NULL,
	`streak_longest` integer DEFAULT 0 NOT NULL,
	`streak_since_freeze` integer DEFAULT 0 NOT NULL,
	`freezes_held` integer DEFAULT 0 NOT NULL,
	`frozen_days` text DEFAULT '[]' NOT NULL,
	`last_active_day` text,
	`xp_last_day` integer DEFAULT 0 NOT NULL,
	`xp_week_start` text,
	`xp_week` integer DEFAULT 0 NOT NULL,
	`goal_days` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
DROP INDEX `daily_activity_day_xp_idx`;--> statement-breakpoint
DROP INDEX `daily_activity_kind_idx`;