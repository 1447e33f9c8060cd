-- Answer checking looks words up by their translation in the learner's language
-- (translationKey() in db/vocabulary_cards.ts must write the same expression).
-- Hand-written: drizzle-kit splits an expression index at its commas.
CREATE INDEX `vocabulary_translation_en_idx` ON `vocabulary` (`language_id`, lower(json_extract(`translation`, '$.en')));--> statement-breakpoint
CREATE INDEX `vocabulary_translation_es_idx` ON `vocabulary` (`language_id`, lower(json_extract(`translation`, '$.es')));
