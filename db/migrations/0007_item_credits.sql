CREATE TABLE `item_credits` (
	`user_id` text NOT NULL,
	`item_key` text NOT NULL,
	`local_date` text NOT NULL,
	`xp` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `item_key`, `local_date`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
