CREATE TABLE `fsrs_models` (
	`user_id` text PRIMARY KEY NOT NULL,
	`parameters` text,
	`active` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`fitted_at` integer,
	`review_count` integer NOT NULL,
	`word_count` integer NOT NULL,
	`test_reviews` integer,
	`default_log_loss` real,
	`fitted_log_loss` real,
	`attempted_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
