/**
 * The database schema: the single source of row types. Migrations in
 * `db/migrations/` are generated from this file by `deno task db:generate`.
 *
 * Conventions: ids are text; timestamps are integer milliseconds since the epoch
 * (`timestamp_ms`, read back as `Date`); structured values and localized texts are
 * JSON text. Every lookup on a request's hot path has an index named for it.
 */
import { type SQL, sql } from "drizzle-orm";
import { State } from "ts-fsrs";
import { MATURE_STABILITY_DAYS } from "../domain/spaced_repetition.ts";
import {
  type AnySQLiteColumn,
  blob,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import type { LocalizedText } from "../domain/content_schema.ts";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`);
const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch() * 1000)`);

export type ContentStatus = "published" | "archived";
export type Role = "learner" | "editor" | "admin";

/** Learner settings that shape scheduling and goals; defaults in domain/preferences.ts. */
export interface UserPreferences {
  desired_retention: number;
  daily_new_limit: number;
  max_interval_days: number;
  target_success_rate: number;
  daily_goal_xp: number;
  daily_goal_minutes: number | null;
  public_leaderboard: boolean;
  profile_visibility: "public" | "friends" | "private";
}

// ---------------------------------------------------------------- accounts

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull(),
  usernameKey: text("username_key").notNull(),
  email: text("email").notNull(),
  emailKey: text("email_key").notNull(),
  passwordHash: text("password_hash").notNull(),
  role: text("role").$type<Role>().notNull().default("learner"),
  displayName: text("display_name"),
  nativeLanguage: text("native_language").notNull(),
  targetLanguages: text("target_languages", { mode: "json" }).$type<string[]>().notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  preferences: text("preferences", { mode: "json" }).$type<UserPreferences>().notNull(),
  xp: integer("xp").notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("users_username_key_unique").on(t.usernameKey),
  uniqueIndex("users_email_key_unique").on(t.emailKey),
  index("users_xp_idx").on(t.xp),
]);

/** One row per signed-in device. `id` is the SHA-256 of the token; the token is never stored. */
export const sessions = sqliteTable("sessions", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  userAgent: text("user_agent"),
  ip: text("ip"),
}, (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)]);

/**
 * Fixed-window counters for rate limits (failed logins per account and per
 * address, sign-ups per address). Kept in the database so every instance sees them.
 */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start", { mode: "timestamp_ms" }).notNull(),
  count: integer("count").notNull(),
}, (t) => [index("rate_limits_window_idx").on(t.windowStart)]);

// ---------------------------------------------------------------- content

export const languages = sqliteTable("languages", {
  id: text("id").primaryKey(),
  code: text("code").notNull(),
  name: text("name", { mode: "json" }).$type<LocalizedText>().notNull(),
  nativeName: text("native_name").notNull(),
  difficulty: integer("difficulty").notNull(),
  fsiCategory: text("fsi_category").notNull(),
  fsiHours: integer("fsi_hours").notNull(),
  ttsLang: text("tts_lang").notNull(),
  script: text("script").notNull(),
  hasGender: integer("has_gender", { mode: "boolean" }).notNull(),
  optionalArticles: text("optional_articles", { mode: "json" }).$type<string[]>().notNull(),
  description: text("description", { mode: "json" }).$type<LocalizedText>().notNull(),
  /** Learner languages this language's content is explained in. */
  locales: text("locales", { mode: "json" }).$type<string[]>().notNull(),
  /** SHA-256 of the content file last seeded, so reseeding an unchanged file is a no-op. */
  contentHash: text("content_hash"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [uniqueIndex("languages_code_unique").on(t.code)]);

export const courses = sqliteTable("courses", {
  id: text("id").primaryKey(),
  languageId: text("language_id").notNull().references(() => languages.id),
  level: text("level").notNull(),
  position: integer("position").notNull().default(0),
  title: text("title", { mode: "json" }).$type<LocalizedText>().notNull(),
  description: text("description", { mode: "json" }).$type<LocalizedText>().notNull(),
  objectives: text("objectives", { mode: "json" }).$type<LocalizedText[]>().notNull(),
  estimatedHours: real("estimated_hours").notNull(),
  prerequisiteId: text("prerequisite_id"),
  status: text("status").$type<ContentStatus>().notNull().default("published"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index("courses_language_level_idx").on(t.languageId, t.level)]);

export interface LessonContent {
  text: LocalizedText;
  dialogue?: {
    speaker: string;
    text: string;
    reading?: string;
    romanization?: string;
    translation: LocalizedText;
  }[];
  examples?: {
    text: string;
    translation: LocalizedText;
    reading?: string;
    romanization?: string;
  }[];
  cultural_notes?: LocalizedText[];
  usage_notes?: LocalizedText[];
}

export const lessons = sqliteTable("lessons", {
  id: text("id").primaryKey(),
  courseId: text("course_id").notNull().references(() => courses.id),
  position: integer("position").notNull(),
  type: text("type").$type<"vocabulary" | "grammar" | "conversation">().notNull(),
  title: text("title", { mode: "json" }).$type<LocalizedText>().notNull(),
  summary: text("summary", { mode: "json" }).$type<LocalizedText>().notNull(),
  estimatedMinutes: integer("estimated_minutes").notNull(),
  content: text("content", { mode: "json" }).$type<LessonContent>().notNull(),
  audioId: text("audio_id"),
  /** Synthesised reference of each example sentence: text → `speech_clips` id. */
  exampleAudio: text("example_audio", { mode: "json" }).$type<Record<string, string>>(),
  status: text("status").$type<ContentStatus>().notNull().default("published"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index("lessons_course_position_idx").on(t.courseId, t.position)]);

export const vocabulary = sqliteTable("vocabulary", {
  id: text("id").primaryKey(),
  languageId: text("language_id").notNull().references(() => languages.id),
  word: text("word").notNull(),
  /** Lowercased, NFC, accent-free form for search and answer matching. */
  searchKey: text("search_key").notNull(),
  reading: text("reading"),
  romanization: text("romanization"),
  translation: text("translation", { mode: "json" }).$type<LocalizedText>().notNull(),
  alternatives: text("alternatives", { mode: "json" }).$type<Partial<Record<string, string[]>>>()
    .notNull(),
  partOfSpeech: text("part_of_speech").notNull(),
  gender: text("gender"),
  plural: text("plural"),
  ipa: text("ipa").notNull(),
  example: text("example", { mode: "json" }).$type<
    { text: string; translation: LocalizedText; reading?: string; romanization?: string }
  >().notNull(),
  level: text("level").notNull(),
  category: text("category").notNull(),
  frequencyRank: integer("frequency_rank"),
  notes: text("notes", { mode: "json" }).$type<LocalizedText | null>(),
  /** Introduction order for new cards: course, lesson and position within the lesson. */
  sequence: integer("sequence").notNull().default(0),
  /** The recording served for the word: an editor's upload, else `speechAudioId`. */
  audioId: text("audio_id"),
  /** The synthesised reference for the word (a `speech_clips` id). */
  speechAudioId: text("speech_audio_id"),
  /** The synthesised reference for the example sentence (a `speech_clips` id). */
  exampleAudioId: text("example_audio_id"),
  status: text("status").$type<ContentStatus>().notNull().default("published"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex("vocabulary_language_word_unique").on(t.languageId, t.word),
  index("vocabulary_language_level_idx").on(t.languageId, t.level, t.category),
  index("vocabulary_language_sequence_idx").on(t.languageId, t.sequence),
  index("vocabulary_search_idx").on(t.languageId, t.searchKey),
]);

export const lessonVocabulary = sqliteTable("lesson_vocabulary", {
  lessonId: text("lesson_id").notNull().references(() => lessons.id, { onDelete: "cascade" }),
  vocabularyId: text("vocabulary_id").notNull().references(() => vocabulary.id, {
    onDelete: "cascade",
  }),
  position: integer("position").notNull(),
}, (t) => [
  primaryKey({ columns: [t.lessonId, t.vocabularyId] }),
  index("lesson_vocabulary_vocabulary_idx").on(t.vocabularyId),
]);

export const grammarTopics = sqliteTable("grammar_topics", {
  id: text("id").primaryKey(),
  languageId: text("language_id").notNull().references(() => languages.id),
  level: text("level").notNull(),
  position: integer("position").notNull().default(0),
  title: text("title", { mode: "json" }).$type<LocalizedText>().notNull(),
  summary: text("summary", { mode: "json" }).$type<LocalizedText>().notNull(),
  explanation: text("explanation", { mode: "json" }).$type<LocalizedText>().notNull(),
  examples: text("examples", { mode: "json" }).$type<
    { text: string; translation: LocalizedText; note?: LocalizedText }[]
  >().notNull(),
  /** Synthesised reference of each example sentence: text → `speech_clips` id. */
  exampleAudio: text("example_audio", { mode: "json" }).$type<Record<string, string>>(),
  status: text("status").$type<ContentStatus>().notNull().default("published"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index("grammar_topics_language_level_idx").on(t.languageId, t.level)]);

export const lessonGrammar = sqliteTable("lesson_grammar", {
  lessonId: text("lesson_id").notNull().references(() => lessons.id, { onDelete: "cascade" }),
  topicId: text("topic_id").notNull().references(() => grammarTopics.id, { onDelete: "cascade" }),
}, (t) => [
  primaryKey({ columns: [t.lessonId, t.topicId] }),
  index("lesson_grammar_topic_idx").on(t.topicId),
]);

/** The parts of an exercise a learner sees; the answer lives in separate columns. */
export interface ExercisePrompt {
  instruction: LocalizedText;
  question?: string;
  translation?: LocalizedText;
  options?: string[];
  words?: string[];
  verb?: string;
  person?: string;
  tense?: string;
  hint?: LocalizedText;
}

export const grammarExercises = sqliteTable("grammar_exercises", {
  id: text("id").primaryKey(),
  topicId: text("topic_id").notNull().references(() => grammarTopics.id, { onDelete: "cascade" }),
  position: integer("position").notNull(),
  type: text("type").notNull(),
  prompt: text("prompt", { mode: "json" }).$type<ExercisePrompt>().notNull(),
  answer: text("answer").notNull(),
  accepted: text("accepted", { mode: "json" }).$type<string[]>().notNull(),
  explanation: text("explanation", { mode: "json" }).$type<LocalizedText>().notNull(),
}, (t) => [index("grammar_exercises_topic_idx").on(t.topicId, t.position)]);

export const translationExercises = sqliteTable("translation_exercises", {
  id: text("id").primaryKey(),
  languageId: text("language_id").notNull().references(() => languages.id),
  /** `to_target` (learner language → target) or `from_target`. */
  direction: text("direction").$type<"to_target" | "from_target">().notNull(),
  difficulty: integer("difficulty").notNull(),
  kind: text("kind").notNull(),
  /** A LocalizedText for `to_target`, the target-language text for `from_target`. */
  source: text("source", { mode: "json" }).$type<LocalizedText | string>().notNull(),
  reading: text("reading"),
  romanization: text("romanization"),
  /** Target-language answers (`to_target`) or answers per learner language (`from_target`). */
  accepted: text("accepted", { mode: "json" }).$type<string[] | Partial<Record<string, string[]>>>()
    .notNull(),
  notes: text("notes", { mode: "json" }).$type<LocalizedText | null>(),
  status: text("status").$type<ContentStatus>().notNull().default("published"),
}, (t) => [
  index("translation_exercises_language_idx").on(t.languageId, t.direction, t.difficulty),
]);

/** A language's sound guide for learners (content/pronunciation/<code>.json). */
export const pronunciationGuides = sqliteTable("pronunciation_guides", {
  languageId: text("language_id").primaryKey().references(() => languages.id),
  guide: text("guide", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  contentHash: text("content_hash").notNull(),
});

export const audioAssets = sqliteTable("audio_assets", {
  id: text("id").primaryKey(),
  mimeType: text("mime_type").notNull(),
  byteLength: integer("byte_length").notNull(),
  durationMs: integer("duration_ms"),
  sha256: text("sha256").notNull(),
  data: blob("data", { mode: "buffer" }).notNull(),
  uploadedBy: text("uploaded_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/**
 * Synthesised reference recordings. `id` is random (the public, opaque audio
 * id) and becomes the `audio_assets` id once the clip is rendered; until then
 * the row says what to render. `content_hash` (engine, encoding, voice, text)
 * finds an existing clip so a reseed skips it; it is never exposed.
 */
export const speechClips = sqliteTable("speech_clips", {
  id: text("id").primaryKey(),
  contentHash: text("content_hash").notNull(),
  voice: text("voice").notNull(),
  text: text("text").notNull(),
  createdAt: createdAt(),
}, (t) => [uniqueIndex("speech_clips_content_hash_unique").on(t.contentHash)]);

export const quizzes = sqliteTable("quizzes", {
  id: text("id").primaryKey(),
  courseId: text("course_id").notNull().references(() => courses.id),
  kind: text("kind").notNull(),
  title: text("title", { mode: "json" }).$type<LocalizedText>().notNull(),
  difficulty: integer("difficulty").notNull(),
  timeLimitSeconds: integer("time_limit_seconds"),
  maxAttempts: integer("max_attempts").notNull().default(3),
  passPercentage: integer("pass_percentage").notNull().default(70),
  status: text("status").$type<ContentStatus>().notNull().default("published"),
  createdAt: createdAt(),
}, (t) => [index("quizzes_course_idx").on(t.courseId)]);

export const quizQuestions = sqliteTable("quiz_questions", {
  id: text("id").primaryKey(),
  quizId: text("quiz_id").notNull().references(() => quizzes.id, { onDelete: "cascade" }),
  position: integer("position").notNull(),
  type: text("type").notNull(),
  prompt: text("prompt", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  answer: text("answer", { mode: "json" }).$type<unknown>().notNull(),
  explanation: text("explanation", { mode: "json" }).$type<LocalizedText>().notNull(),
  points: integer("points").notNull().default(1),
  tags: text("tags", { mode: "json" }).$type<Record<string, string>>().notNull(),
}, (t) => [index("quiz_questions_quiz_idx").on(t.quizId, t.position)]);

export const achievements = sqliteTable("achievements", {
  id: text("id").primaryKey(),
  category: text("category").notNull(),
  title: text("title", { mode: "json" }).$type<LocalizedText>().notNull(),
  description: text("description", { mode: "json" }).$type<LocalizedText>().notNull(),
  points: integer("points").notNull(),
  criteria: text("criteria", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  position: integer("position").notNull().default(0),
});

// ---------------------------------------------------------------- learner state

export const userProgress = sqliteTable("user_progress", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  courseId: text("course_id").notNull().references(() => courses.id),
  enrolledAt: integer("enrolled_at", { mode: "timestamp_ms" }).notNull(),
  completedLessons: integer("completed_lessons").notNull().default(0),
  completionPercentage: real("completion_percentage").notNull().default(0),
  lastLessonId: text("last_lesson_id"),
  lastActivityAt: integer("last_activity_at", { mode: "timestamp_ms" }).notNull(),
  completedAt: integer("completed_at", { mode: "timestamp_ms" }),
  /** How the learner got in: `enrolled`, or `placement` when placed above the prerequisite. */
  source: text("source").notNull().default("enrolled"),
}, (t) => [
  primaryKey({ columns: [t.userId, t.courseId] }),
  index("user_progress_recent_idx").on(t.userId, t.lastActivityAt),
]);

/** Per learner and lesson: unlocked, accessed, completed, best score. */
export const userLessons = sqliteTable("user_lessons", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  lessonId: text("lesson_id").notNull().references(() => lessons.id),
  status: text("status").$type<"available" | "completed">().notNull(),
  unlockedAt: integer("unlocked_at", { mode: "timestamp_ms" }).notNull(),
  firstAccessedAt: integer("first_accessed_at", { mode: "timestamp_ms" }),
  lastAccessedAt: integer("last_accessed_at", { mode: "timestamp_ms" }),
  accessCount: integer("access_count").notNull().default(0),
  attempts: integer("attempts").notNull().default(0),
  bestScore: real("best_score"),
  timeSpentSeconds: integer("time_spent_seconds").notNull().default(0),
  completedAt: integer("completed_at", { mode: "timestamp_ms" }),
}, (t) => [primaryKey({ columns: [t.userId, t.lessonId] })]);

export const userGrammar = sqliteTable("user_grammar", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  topicId: text("topic_id").notNull().references(() => grammarTopics.id),
  attempts: integer("attempts").notNull().default(0),
  bestScore: real("best_score").notNull().default(0),
  lastScore: real("last_score").notNull().default(0),
  lastPracticedAt: integer("last_practiced_at", { mode: "timestamp_ms" }).notNull(),
  masteredAt: integer("mastered_at", { mode: "timestamp_ms" }),
}, (t) => [primaryKey({ columns: [t.userId, t.topicId] })]);

/**
 * The one definition of a mature card in SQL: in review, and stable for at least
 * {@link MATURE_STABILITY_DAYS} days. Written with literals, not bound values, so that
 * queries using it match the partial index built from the same expression.
 */
export function matureCard(t: { state: AnySQLiteColumn; stability: AnySQLiteColumn }): SQL {
  return sql`${t.state} = ${sql.raw(String(State.Review))} AND ${t.stability} >= ${
    sql.raw(String(MATURE_STABILITY_DAYS))
  }`;
}

/** Memory state of one word for one learner: the spec's columns plus FSRS's. */
export const userVocabulary = sqliteTable("user_vocabulary", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  vocabularyId: text("vocabulary_id").notNull().references(() => vocabulary.id),
  familiarityLevel: integer("familiarity_level").notNull().default(0),
  lastReviewed: integer("last_reviewed", { mode: "timestamp_ms" }),
  nextReview: integer("next_review", { mode: "timestamp_ms" }).notNull(),
  reviewCount: integer("review_count").notNull().default(0),
  correctCount: integer("correct_count").notNull().default(0),
  stability: real("stability").notNull().default(0),
  difficulty: real("difficulty").notNull().default(0),
  state: integer("state").$type<State>().notNull().default(0),
  reps: integer("reps").notNull().default(0),
  lapses: integer("lapses").notNull().default(0),
  elapsedDays: integer("elapsed_days").notNull().default(0),
  scheduledDays: integer("scheduled_days").notNull().default(0),
  learningSteps: integer("learning_steps").notNull().default(0),
  /** When the learner first practised the word: counts against the daily new-word limit. */
  introducedAt: integer("introduced_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.userId, t.vocabularyId] }),
  index("user_vocabulary_due_idx").on(t.userId, t.nextReview),
  index("user_vocabulary_introduced_idx").on(t.userId, t.introducedAt),
  // Achievement counts run after every answer: partial indexes answer them from the
  // index alone instead of a table lookup per card (2.4 ms -> 0.3 ms at 1,000 cards).
  index("user_vocabulary_learned_idx").on(t.userId).where(sql`${t.correctCount} > 0`),
  index("user_vocabulary_mature_idx").on(t.userId)
    .where(matureCard(t)),
]);

export const reviewLogs = sqliteTable("review_logs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  vocabularyId: text("vocabulary_id").notNull().references(() => vocabulary.id),
  rating: integer("rating").notNull(),
  /** FSRS state before the review (0 new, 1 learning, 2 review, 3 relearning). */
  stateBefore: integer("state_before").notNull(),
  correct: integer("correct", { mode: "boolean" }).notNull(),
  userAnswer: text("user_answer"),
  responseTimeMs: integer("response_time_ms").notNull(),
  elapsedDays: integer("elapsed_days").notNull(),
  scheduledDays: integer("scheduled_days").notNull(),
  /** The card exactly as it was before this review, so undo can restore it. */
  previous: text("previous", { mode: "json" }).$type<Record<string, unknown> | null>(),
  reviewedAt: integer("reviewed_at", { mode: "timestamp_ms" }).notNull(),
  undoneAt: integer("undone_at", { mode: "timestamp_ms" }),
}, (t) => [
  index("review_logs_card_idx").on(t.userId, t.vocabularyId, t.reviewedAt),
  index("review_logs_user_time_idx").on(t.userId, t.reviewedAt),
]);

/**
 * Each learner's latest FSRS-6 fit (domain/fsrs_fitting.ts): the weights, what
 * they were fitted on, and their held-out log loss next to the defaults'. The
 * scheduler uses the weights only while `active` (they beat the defaults).
 */
export const fsrsModels = sqliteTable("fsrs_models", {
  userId: text("user_id").primaryKey().references(() => users.id, { onDelete: "cascade" }),
  /** The 21 fitted weights; null until a fit has succeeded. */
  parameters: text("parameters", { mode: "json" }).$type<number[] | null>(),
  active: integer("active", { mode: "boolean" }).notNull().default(false),
  /** `fitted`, `not_better` (kept the defaults) or `failed` (diverged or out of bounds). */
  status: text("status").notNull(),
  fittedAt: integer("fitted_at", { mode: "timestamp_ms" }),
  /** Reviews and distinct words in the history at the last attempt. */
  reviewCount: integer("review_count").notNull(),
  wordCount: integer("word_count").notNull(),
  /** Scored (later-day) reviews of the newest 20% the two models were compared on. */
  testReviews: integer("test_reviews"),
  defaultLogLoss: real("default_log_loss"),
  fittedLogLoss: real("fitted_log_loss"),
  attemptedAt: integer("attempted_at", { mode: "timestamp_ms" }).notNull(),
});

export const quizAttempts = sqliteTable("quiz_attempts", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  quizId: text("quiz_id").notNull().references(() => quizzes.id),
  attemptNumber: integer("attempt_number").notNull(),
  questionOrder: text("question_order", { mode: "json" }).$type<unknown>().notNull(),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  deadlineAt: integer("deadline_at", { mode: "timestamp_ms" }),
  submittedAt: integer("submitted_at", { mode: "timestamp_ms" }),
  score: real("score"),
  maxScore: real("max_score"),
  percentage: real("percentage"),
  passed: integer("passed", { mode: "boolean" }),
  timeTakenSeconds: integer("time_taken_seconds"),
  answers: text("answers", { mode: "json" }).$type<unknown>(),
}, (t) => [
  uniqueIndex("quiz_attempts_number_unique").on(t.userId, t.quizId, t.attemptNumber),
]);

export const userAchievements = sqliteTable("user_achievements", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  achievementId: text("achievement_id").notNull().references(() => achievements.id),
  earnedAt: integer("earned_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.achievementId] })]);

/** Per learner and translation exercise: attempts and mastery. */
export const userTranslations = sqliteTable("user_translations", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  exerciseId: text("exercise_id").notNull().references(() => translationExercises.id),
  attempts: integer("attempts").notNull().default(0),
  bestScore: real("best_score").notNull().default(0),
  lastAttemptAt: integer("last_attempt_at", { mode: "timestamp_ms" }).notNull(),
  masteredAt: integer("mastered_at", { mode: "timestamp_ms" }),
}, (t) => [primaryKey({ columns: [t.userId, t.exerciseId] })]);

/**
 * What each item (a grammar exercise, a translation, a lesson, a written text)
 * paid a learner on one of their local days, and that they answered it right:
 * a repeat the same day pays only what it adds (domain/xp.ts), and lesson
 * mastery counts the exercises a learner has answered right (any day).
 */
export const itemCredits = sqliteTable("item_credits", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  /** `exercise:<id>`, `translation:<id>`, `lesson:<id>` or `writing:<sha256 of the text>`. */
  itemKey: text("item_key").notNull(),
  localDate: text("local_date").notNull(),
  xp: integer("xp").notNull().default(0),
}, (t) => [primaryKey({ columns: [t.userId, t.itemKey, t.localDate] })]);

/**
 * Daily rollup of the activity log per learner, local day, skill and kind, kept
 * in the same batch as each activity row. Analytics and daily goals read these,
 * so their cost follows the number of days in the period, not the number of
 * actions in the learner's history.
 */
export const dailyActivity = sqliteTable("daily_activity", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  localDate: text("local_date").notNull(),
  skill: text("skill").notNull(),
  kind: text("kind").notNull(),
  actions: integer("actions").notNull().default(0),
  seconds: integer("seconds").notNull().default(0),
  xp: integer("xp").notNull().default(0),
  correct: integer("correct").notNull().default(0),
  total: integer("total").notNull().default(0),
}, (t) => [
  // Every read of the rollups is one learner's date range: the primary key's order.
  // (Statistics an answer re-reads come from the running totals, learner_totals.)
  primaryKey({ columns: [t.userId, t.localDate, t.skill, t.kind] }),
]);

/**
 * Running totals per learner, kept in the write batch of every action (see
 * db/learner_totals.ts) so achievements, streaks and progress read one row instead
 * of re-aggregating the rollups. The streak is stored as it stood after the last
 * active local day (domain/streaks.ts `StoredStreak`); `xp_last_day` is the XP of
 * that day and `xp_week` of the UTC week `xp_week_start`. `revision` counts writes,
 * so a rewrite computed from a read (undo) applies only if nothing moved since.
 */
export const learnerTotals = sqliteTable("learner_totals", {
  userId: text("user_id").primaryKey().references(() => users.id, { onDelete: "cascade" }),
  revision: integer("revision").notNull().default(0),
  streakCurrent: integer("streak_current").notNull().default(0),
  streakLongest: integer("streak_longest").notNull().default(0),
  streakSinceFreeze: integer("streak_since_freeze").notNull().default(0),
  freezesHeld: integer("freezes_held").notNull().default(0),
  frozenDays: text("frozen_days", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
  lastActiveDay: text("last_active_day"),
  xpLastDay: integer("xp_last_day").notNull().default(0),
  xpWeekStart: text("xp_week_start"),
  xpWeek: integer("xp_week").notNull().default(0),
  /** Days whose XP reached the daily goal in force when they reached it. */
  goalDays: integer("goal_days").notNull().default(0),
});

/** Running counts per learner, activity kind and skill: all-time sums of the daily rollups. */
export const learnerActivityTotals = sqliteTable("learner_activity_totals", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  kind: text("kind").notNull(),
  skill: text("skill").notNull(),
  actions: integer("actions").notNull().default(0),
  seconds: integer("seconds").notNull().default(0),
  xp: integer("xp").notNull().default(0),
  correct: integer("correct").notNull().default(0),
  total: integer("total").notNull().default(0),
}, (t) => [primaryKey({ columns: [t.userId, t.kind, t.skill] })]);

/** XP per learner per UTC week (weeks start Monday 00:00 UTC), for the weekly leaderboard. */
export const weeklyXp = sqliteTable("weekly_xp", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  weekStart: text("week_start").notNull(),
  xp: integer("xp").notNull().default(0),
}, (t) => [
  primaryKey({ columns: [t.userId, t.weekStart] }),
  index("weekly_xp_board_idx").on(t.weekStart, t.xp),
]);

export const follows = sqliteTable("follows", {
  followerId: text("follower_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  followeeId: text("followee_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.followerId, t.followeeId] }),
  index("follows_followee_idx").on(t.followeeId),
]);

/** Friend challenges: who earns more XP in one UTC week. */
export const friendChallenges = sqliteTable("friend_challenges", {
  id: text("id").primaryKey(),
  challengerId: text("challenger_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  opponentId: text("opponent_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  weekStart: text("week_start").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [
  uniqueIndex("friend_challenges_pair_week_unique").on(t.challengerId, t.opponentId, t.weekStart),
  index("friend_challenges_opponent_idx").on(t.opponentId, t.weekStart),
]);

/** Learner-set goals such as "finish es-a1 by 2027-03-01". */
export const goals = sqliteTable("goals", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  courseId: text("course_id").notNull().references(() => courses.id),
  targetDate: text("target_date").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [index("goals_user_idx").on(t.userId)]);

/**
 * Every learning action, one row each: the facts analytics, streaks and XP are
 * computed from. `local_date` is the learner's calendar day in their timezone at
 * the time, so a later timezone change does not rewrite history.
 */
export const activityLog = sqliteTable("activity_log", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  kind: text("kind").notNull(),
  skill: text("skill").notNull(),
  languageId: text("language_id"),
  courseId: text("course_id"),
  refId: text("ref_id"),
  correct: integer("correct"),
  total: integer("total"),
  score: real("score"),
  durationSeconds: integer("duration_seconds").notNull().default(0),
  xp: integer("xp").notNull().default(0),
  occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
  localDate: text("local_date").notNull(),
}, (t) => [
  index("activity_user_time_idx").on(t.userId, t.occurredAt),
  index("activity_user_day_idx").on(t.userId, t.localDate),
]);

// ---------------------------------------------------------------- assessment

/** A certificate for passing a course's final assessment; verifiable by its public id. */
export const certificates = sqliteTable("certificates", {
  id: text("id").primaryKey(),
  publicId: text("public_id").notNull(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  courseId: text("course_id").notNull().references(() => courses.id),
  level: text("level").notNull(),
  score: real("score").notNull(),
  attemptId: text("attempt_id").notNull(),
  issuedAt: integer("issued_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [
  uniqueIndex("certificates_public_id_unique").on(t.publicId),
  uniqueIndex("certificates_user_course_unique").on(t.userId, t.courseId),
]);

/**
 * One row per wrong answer, tagged with what it was about (word, grammar topic,
 * question type) and what kind of mistake it was, for error-pattern analysis.
 */
export const errorEvents = sqliteTable("error_events", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  source: text("source").notNull(),
  questionType: text("question_type").notNull(),
  errorKind: text("error_kind").notNull(),
  vocabularyId: text("vocabulary_id"),
  grammarTopic: text("grammar_topic"),
  languageId: text("language_id"),
  given: text("given"),
  expected: text("expected"),
  occurredAt: integer("occurred_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [index("error_events_user_time_idx").on(t.userId, t.occurredAt)]);

/** Timed challenge runs (as many right answers as possible before the deadline). */
export const challengeRuns = sqliteTable("challenge_runs", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  languageId: text("language_id").notNull().references(() => languages.id),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  deadlineAt: integer("deadline_at", { mode: "timestamp_ms" }).notNull(),
  /** Questions with their keys, server side only. */
  questions: text("questions", { mode: "json" }).$type<unknown[]>().notNull(),
  answered: text("answered", { mode: "json" }).$type<Record<string, boolean>>().notNull(),
  correct: integer("correct").notNull().default(0),
  version: integer("version").notNull().default(0),
}, (t) => [index("challenge_runs_user_idx").on(t.userId, t.correct)]);

// ---------------------------------------------------------------- adaptive learning

/** A learner's ability per language and skill on the logistic (Rasch/Elo) scale. */
export const learnerAbilities = sqliteTable("learner_abilities", {
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  languageId: text("language_id").notNull().references(() => languages.id),
  skill: text("skill").notNull(),
  theta: real("theta").notNull().default(0),
  /** Answers that have informed the estimate (the learning rate shrinks as it grows). */
  evidence: integer("evidence").notNull().default(0),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [primaryKey({ columns: [t.userId, t.languageId, t.skill] })]);

/** Calibrated difficulty of an item (word, exercise, quiz question) on the same scale. */
export const itemDifficulties = sqliteTable("item_difficulties", {
  itemId: text("item_id").primaryKey(),
  itemType: text("item_type").notNull(),
  languageId: text("language_id").notNull(),
  difficulty: real("difficulty").notNull(),
  answers: integer("answers").notNull().default(0),
  correct: integer("correct").notNull().default(0),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
}, (t) => [index("item_difficulties_language_idx").on(t.languageId, t.itemType, t.difficulty)]);

/** A computerised adaptive placement test. */
export const placementTests = sqliteTable("placement_tests", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  languageId: text("language_id").notNull().references(() => languages.id),
  status: text("status").$type<"in_progress" | "finished" | "abandoned">().notNull(),
  startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
  finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  theta: real("theta").notNull().default(0),
  standardError: real("standard_error").notNull().default(10),
  /** Items asked with the learner's answers and correctness, in order. */
  responses: text("responses", { mode: "json" }).$type<unknown[]>().notNull(),
  /** The item currently asked (id), so an answer to anything else is refused. */
  currentItemId: text("current_item_id"),
  placedLevel: text("placed_level"),
  placedCourseId: text("placed_course_id"),
  placedLessonId: text("placed_lesson_id"),
  version: integer("version").notNull().default(0),
}, (t) => [index("placement_tests_user_idx").on(t.userId, t.languageId, t.status)]);
