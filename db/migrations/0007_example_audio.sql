ALTER TABLE `grammar_topics` ADD `example_audio` text;--> statement-breakpoint
ALTER TABLE `lessons` ADD `example_audio` text;