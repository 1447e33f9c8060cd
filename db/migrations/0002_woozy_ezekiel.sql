CREATE TABLE `item_difficulties` (
	`item_id` text PRIMARY KEY NOT NULL,
	`item_type` text NOT NULL,
	`language_id` text NOT NULL,
	`difficulty` real NOT NULL,
	`answers` integer DEFAULT 0 NOT NULL,
	`correct` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `item_difficulties_language_idx` ON `item_difficulties` (`language_id`,`item_type`,`difficulty`);--> statement-breakpoint
CREATE TABLE `learner_abilities` (
	`user_id` text NOT NULL,
	`language_id` text NOT NULL,
	`skill` text NOT NULL,
	`theta` real DEFAULT 0 NOT NULL,
	`evidence` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `language_id`, `skill`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`language_id`) REFERENCES `languages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `placement_tests` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`language_id` text NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`theta` real DEFAULT 0 NOT NULL,
	`standard_error` real DEFAULT 10 NOT NULL,
	`responses` text NOT NULL,
	`current_item_id` text,
	`placed_level` text,
	`placed_course_id` text,
	`placed_lesson_id` text,
	`version` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`language_id`) REFERENCES `languages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `placement_tests_user_idx` ON `placement_tests` (`user_id`,`language_id`,`status`);