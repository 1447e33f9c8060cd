CREATE TABLE `achievements` (
	`id` text PRIMARY KEY NOT NULL,
	`category` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`points` integer NOT NULL,
	`criteria` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `activity_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`skill` text NOT NULL,
	`language_id` text,
	`course_id` text,
	`ref_id` text,
	`correct` integer,
	`total` integer,
	`score` real,
	`duration_seconds` integer DEFAULT 0 NOT NULL,
	`xp` integer DEFAULT 0 NOT NULL,
	`occurred_at` integer NOT NULL,
	`local_date` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `activity_user_time_idx` ON `activity_log` (`user_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `activity_user_day_idx` ON `activity_log` (`user_id`,`local_date`);--> statement-breakpoint
CREATE TABLE `audio_assets` (
	`id` text PRIMARY KEY NOT NULL,
	`mime_type` text NOT NULL,
	`byte_length` integer NOT NULL,
	`duration_ms` integer,
	`sha256` text NOT NULL,
	`data` blob NOT NULL,
	`uploaded_by` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `courses` (
	`id` text PRIMARY KEY NOT NULL,
	`language_id` text NOT NULL,
	`level` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`objectives` text NOT NULL,
	`estimated_hours` real NOT NULL,
	`prerequisite_id` text,
	`status` text DEFAULT 'published' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`language_id`) REFERENCES `languages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `courses_language_level_idx` ON `courses` (`language_id`,`level`);--> statement-breakpoint
CREATE TABLE `daily_activity` (
	`user_id` text NOT NULL,
	`local_date` text NOT NULL,
	`skill` text NOT NULL,
	`kind` text NOT NULL,
	`actions` integer DEFAULT 0 NOT NULL,
	`seconds` integer DEFAULT 0 NOT NULL,
	`xp` integer DEFAULT 0 NOT NULL,
	`correct` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `local_date`, `skill`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `follows` (
	`follower_id` text NOT NULL,
	`followee_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`follower_id`, `followee_id`),
	FOREIGN KEY (`follower_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`followee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `follows_followee_idx` ON `follows` (`followee_id`);--> statement-breakpoint
CREATE TABLE `friend_challenges` (
	`id` text PRIMARY KEY NOT NULL,
	`challenger_id` text NOT NULL,
	`opponent_id` text NOT NULL,
	`week_start` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`challenger_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`opponent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `friend_challenges_pair_week_unique` ON `friend_challenges` (`challenger_id`,`opponent_id`,`week_start`);--> statement-breakpoint
CREATE INDEX `friend_challenges_opponent_idx` ON `friend_challenges` (`opponent_id`,`week_start`);--> statement-breakpoint
CREATE TABLE `goals` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`target_date` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `goals_user_idx` ON `goals` (`user_id`);--> statement-breakpoint
CREATE TABLE `grammar_exercises` (
	`id` text PRIMARY KEY NOT NULL,
	`topic_id` text NOT NULL,
	`position` integer NOT NULL,
	`type` text NOT NULL,
	`prompt` text NOT NULL,
	`answer` text NOT NULL,
	`accepted` text NOT NULL,
	`explanation` text NOT NULL,
	FOREIGN KEY (`topic_id`) REFERENCES `grammar_topics`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `grammar_exercises_topic_idx` ON `grammar_exercises` (`topic_id`,`position`);--> statement-breakpoint
CREATE TABLE `grammar_topics` (
	`id` text PRIMARY KEY NOT NULL,
	`language_id` text NOT NULL,
	`level` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`explanation` text NOT NULL,
	`examples` text NOT NULL,
	`status` text DEFAULT 'published' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`language_id`) REFERENCES `languages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `grammar_topics_language_level_idx` ON `grammar_topics` (`language_id`,`level`);--> statement-breakpoint
CREATE TABLE `languages` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`native_name` text NOT NULL,
	`difficulty` integer NOT NULL,
	`fsi_category` text NOT NULL,
	`fsi_hours` integer NOT NULL,
	`tts_lang` text NOT NULL,
	`script` text NOT NULL,
	`has_gender` integer NOT NULL,
	`optional_articles` text NOT NULL,
	`description` text NOT NULL,
	`locales` text NOT NULL,
	`content_hash` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `languages_code_unique` ON `languages` (`code`);--> statement-breakpoint
CREATE TABLE `lesson_grammar` (
	`lesson_id` text NOT NULL,
	`topic_id` text NOT NULL,
	PRIMARY KEY(`lesson_id`, `topic_id`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`topic_id`) REFERENCES `grammar_topics`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lesson_grammar_topic_idx` ON `lesson_grammar` (`topic_id`);--> statement-breakpoint
CREATE TABLE `lesson_vocabulary` (
	`lesson_id` text NOT NULL,
	`vocabulary_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`lesson_id`, `vocabulary_id`),
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`vocabulary_id`) REFERENCES `vocabulary`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `lesson_vocabulary_vocabulary_idx` ON `lesson_vocabulary` (`vocabulary_id`);--> statement-breakpoint
CREATE TABLE `lessons` (
	`id` text PRIMARY KEY NOT NULL,
	`course_id` text NOT NULL,
	`position` integer NOT NULL,
	`type` text NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`estimated_minutes` integer NOT NULL,
	`content` text NOT NULL,
	`audio_id` text,
	`status` text DEFAULT 'published' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `lessons_course_position_idx` ON `lessons` (`course_id`,`position`);--> statement-breakpoint
CREATE TABLE `pronunciation_guides` (
	`language_id` text PRIMARY KEY NOT NULL,
	`guide` text NOT NULL,
	`content_hash` text NOT NULL,
	FOREIGN KEY (`language_id`) REFERENCES `languages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `quiz_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`quiz_id` text NOT NULL,
	`attempt_number` integer NOT NULL,
	`question_order` text NOT NULL,
	`started_at` integer NOT NULL,
	`deadline_at` integer,
	`submitted_at` integer,
	`score` real,
	`max_score` real,
	`percentage` real,
	`passed` integer,
	`time_taken_seconds` integer,
	`answers` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`quiz_id`) REFERENCES `quizzes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_attempts_number_unique` ON `quiz_attempts` (`user_id`,`quiz_id`,`attempt_number`);--> statement-breakpoint
CREATE TABLE `quiz_questions` (
	`id` text PRIMARY KEY NOT NULL,
	`quiz_id` text NOT NULL,
	`position` integer NOT NULL,
	`type` text NOT NULL,
	`prompt` text NOT NULL,
	`answer` text NOT NULL,
	`explanation` text NOT NULL,
	`points` integer DEFAULT 1 NOT NULL,
	`tags` text NOT NULL,
	FOREIGN KEY (`quiz_id`) REFERENCES `quizzes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quiz_questions_quiz_idx` ON `quiz_questions` (`quiz_id`,`position`);--> statement-breakpoint
CREATE TABLE `quizzes` (
	`id` text PRIMARY KEY NOT NULL,
	`course_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`difficulty` integer NOT NULL,
	`time_limit_seconds` integer,
	`max_attempts` integer DEFAULT 3 NOT NULL,
	`pass_percentage` integer DEFAULT 70 NOT NULL,
	`status` text DEFAULT 'published' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quizzes_course_idx` ON `quizzes` (`course_id`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_limits_window_idx` ON `rate_limits` (`window_start`);--> statement-breakpoint
CREATE TABLE `review_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`vocabulary_id` text NOT NULL,
	`rating` integer NOT NULL,
	`state_before` integer NOT NULL,
	`correct` integer NOT NULL,
	`user_answer` text,
	`response_time_ms` integer NOT NULL,
	`elapsed_days` integer NOT NULL,
	`scheduled_days` integer NOT NULL,
	`previous` text,
	`reviewed_at` integer NOT NULL,
	`undone_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`vocabulary_id`) REFERENCES `vocabulary`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_logs_card_idx` ON `review_logs` (`user_id`,`vocabulary_id`,`reviewed_at`);--> statement-breakpoint
CREATE INDEX `review_logs_user_time_idx` ON `review_logs` (`user_id`,`reviewed_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`user_agent` text,
	`ip` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `translation_exercises` (
	`id` text PRIMARY KEY NOT NULL,
	`language_id` text NOT NULL,
	`direction` text NOT NULL,
	`difficulty` integer NOT NULL,
	`kind` text NOT NULL,
	`source` text NOT NULL,
	`reading` text,
	`romanization` text,
	`accepted` text NOT NULL,
	`notes` text,
	`status` text DEFAULT 'published' NOT NULL,
	FOREIGN KEY (`language_id`) REFERENCES `languages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `translation_exercises_language_idx` ON `translation_exercises` (`language_id`,`direction`,`difficulty`);--> statement-breakpoint
CREATE TABLE `user_achievements` (
	`user_id` text NOT NULL,
	`achievement_id` text NOT NULL,
	`earned_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `achievement_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`achievement_id`) REFERENCES `achievements`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `user_grammar` (
	`user_id` text NOT NULL,
	`topic_id` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`best_score` real DEFAULT 0 NOT NULL,
	`last_score` real DEFAULT 0 NOT NULL,
	`last_practiced_at` integer NOT NULL,
	`mastered_at` integer,
	PRIMARY KEY(`user_id`, `topic_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`topic_id`) REFERENCES `grammar_topics`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `user_lessons` (
	`user_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`status` text NOT NULL,
	`unlocked_at` integer NOT NULL,
	`first_accessed_at` integer,
	`last_accessed_at` integer,
	`access_count` integer DEFAULT 0 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`best_score` real,
	`time_spent_seconds` integer DEFAULT 0 NOT NULL,
	`completed_at` integer,
	PRIMARY KEY(`user_id`, `lesson_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `user_progress` (
	`user_id` text NOT NULL,
	`course_id` text NOT NULL,
	`enrolled_at` integer NOT NULL,
	`completed_lessons` integer DEFAULT 0 NOT NULL,
	`completion_percentage` real DEFAULT 0 NOT NULL,
	`last_lesson_id` text,
	`last_activity_at` integer NOT NULL,
	`completed_at` integer,
	`source` text DEFAULT 'enrolled' NOT NULL,
	PRIMARY KEY(`user_id`, `course_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `user_progress_recent_idx` ON `user_progress` (`user_id`,`last_activity_at`);--> statement-breakpoint
CREATE TABLE `user_translations` (
	`user_id` text NOT NULL,
	`exercise_id` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`best_score` real DEFAULT 0 NOT NULL,
	`last_attempt_at` integer NOT NULL,
	`mastered_at` integer,
	PRIMARY KEY(`user_id`, `exercise_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`exercise_id`) REFERENCES `translation_exercises`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `user_vocabulary` (
	`user_id` text NOT NULL,
	`vocabulary_id` text NOT NULL,
	`familiarity_level` integer DEFAULT 0 NOT NULL,
	`last_reviewed` integer,
	`next_review` integer NOT NULL,
	`review_count` integer DEFAULT 0 NOT NULL,
	`correct_count` integer DEFAULT 0 NOT NULL,
	`stability` real DEFAULT 0 NOT NULL,
	`difficulty` real DEFAULT 0 NOT NULL,
	`state` integer DEFAULT 0 NOT NULL,
	`reps` integer DEFAULT 0 NOT NULL,
	`lapses` integer DEFAULT 0 NOT NULL,
	`elapsed_days` integer DEFAULT 0 NOT NULL,
	`scheduled_days` integer DEFAULT 0 NOT NULL,
	`learning_steps` integer DEFAULT 0 NOT NULL,
	`introduced_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `vocabulary_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`vocabulary_id`) REFERENCES `vocabulary`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `user_vocabulary_due_idx` ON `user_vocabulary` (`user_id`,`next_review`);--> statement-breakpoint
CREATE INDEX `user_vocabulary_introduced_idx` ON `user_vocabulary` (`user_id`,`introduced_at`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`username_key` text NOT NULL,
	`email` text NOT NULL,
	`email_key` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text DEFAULT 'learner' NOT NULL,
	`display_name` text,
	`native_language` text NOT NULL,
	`target_languages` text NOT NULL,
	`timezone` text DEFAULT 'UTC' NOT NULL,
	`preferences` text NOT NULL,
	`xp` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_key_unique` ON `users` (`username_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_key_unique` ON `users` (`email_key`);--> statement-breakpoint
CREATE INDEX `users_xp_idx` ON `users` (`xp`);--> statement-breakpoint
CREATE TABLE `vocabulary` (
	`id` text PRIMARY KEY NOT NULL,
	`language_id` text NOT NULL,
	`word` text NOT NULL,
	`search_key` text NOT NULL,
	`reading` text,
	`romanization` text,
	`translation` text NOT NULL,
	`alternatives` text NOT NULL,
	`part_of_speech` text NOT NULL,
	`gender` text,
	`plural` text,
	`ipa` text NOT NULL,
	`example` text NOT NULL,
	`level` text NOT NULL,
	`category` text NOT NULL,
	`frequency_rank` integer,
	`notes` text,
	`sequence` integer DEFAULT 0 NOT NULL,
	`audio_id` text,
	`status` text DEFAULT 'published' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`language_id`) REFERENCES `languages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `vocabulary_language_word_unique` ON `vocabulary` (`language_id`,`word`);--> statement-breakpoint
CREATE INDEX `vocabulary_language_level_idx` ON `vocabulary` (`language_id`,`level`,`category`);--> statement-breakpoint
CREATE INDEX `vocabulary_language_sequence_idx` ON `vocabulary` (`language_id`,`sequence`);--> statement-breakpoint
CREATE INDEX `vocabulary_search_idx` ON `vocabulary` (`language_id`,`search_key`);--> statement-breakpoint
CREATE TABLE `weekly_xp` (
	`user_id` text NOT NULL,
	`week_start` text NOT NULL,
	`xp` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `week_start`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `weekly_xp_board_idx` ON `weekly_xp` (`week_start`,`xp`);