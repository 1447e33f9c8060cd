CREATE TABLE `speech_clips` (
	`id` text PRIMARY KEY NOT NULL,
	`content_hash` text NOT NULL,
	`voice` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `speech_clips_content_hash_unique` ON `speech_clips` (`content_hash`);--> statement-breakpoint
ALTER TABLE `grammar_topics` ADD `example_audio` text;--> statement-breakpoint
ALTER TABLE `lessons` ADD `example_audio` text;--> statement-breakpoint
ALTER TABLE `vocabulary` ADD `speech_audio_id` text;--> statement-breakpoint
ALTER TABLE `vocabulary` ADD `example_audio_id` text;