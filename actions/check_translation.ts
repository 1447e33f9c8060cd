/**
 * Check a translation: score it against every accepted translation, detect the
 * answer's language, pay XP (a same-day retry only what it adds, the mastery
 * bonus once ever), record the attempt and its activity, and award what it
 * earned, in one atomic batch.
 */
import { type Credit, creditStatements, EVER, PaidXp } from "../db/item_credits.ts";
import type { userTranslations } from "../db/schema.ts";
import {
  loadTranslationExercise,
  translationAttemptStatements,
  translationProgressQuery,
} from "../db/translation_practice.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { localDate } from "../domain/calendar.ts";
import { localized } from "../domain/localize.ts";
import {
  acceptedFor,
  checkTranslation,
  detectAnswerLanguage,
  exerciseSides,
  TRANSLATION_MASTERY,
  translationFeedback,
} from "../domain/translation_checking.ts";
import { TRANSLATION_MASTERY_XP, translationXp } from "../domain/xp.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { awardPlan } from "./awards.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { runWriteBatch } from "./write_batch.ts";

export interface TranslationAnswer {
  userTranslation: string;
  /** The exercise, by id or else by its text as shown (`sourceText`). */
  exerciseId?: string;
  sourceText?: string;
  /** Narrows a `sourceText` lookup to one language (code or id). */
  language?: string;
  /** Seconds spent, for the activity log. */
  timeSpentSeconds?: number;
}

type ProgressRow = typeof userTranslations.$inferSelect;

/** A learner's progress on an exercise, as the API shows it. */
export function progressView(p: ProgressRow | null) {
  if (!p) return { status: "not_started", attempts: 0, best_score: null, last_attempt_at: null };
  return {
    status: p.masteredAt ? "mastered" : "in_progress",
    attempts: p.attempts,
    best_score: p.bestScore,
    last_attempt_at: p.lastAttemptAt.toISOString(),
  };
}

export async function checkTranslationAnswer(
  deps: ActionDeps,
  user: Learner,
  input: TranslationAnswer,
) {
  const { db, clock, locale } = deps;
  if (!answerKey(input.userTranslation)) {
    throw badRequest("Write a translation", [{ field: "user_translation", message: "No words" }]);
  }
  const now = clock.now();
  const today = localDate(now, user.timezone);
  const found = await loadTranslationExercise(
    db,
    {
      id: input.exerciseId,
      sourceText: input.exerciseId ? undefined : input.sourceText,
      language: input.language,
    },
    user.id,
    today,
  );
  if (!found) throw notFound("Translation exercise");
  const { exercise, language, progress } = found;
  const side = exerciseSides(exercise, language.code, locale);
  const accepted = acceptedFor(exercise, side.answer);

  const result = checkTranslation(input.userTranslation, accepted, side.answer);
  const detection = detectAnswerLanguage(input.userTranslation, side.answer, [side.source]);
  const correct = result.correct && !detection.wrong_language;
  const mastered = !detection.wrong_language && result.score >= TRANSLATION_MASTERY;
  const firstMastery = mastered && !progress?.masteredAt;
  // A retry the same day pays only what it adds over the day's best; the mastery bonus
  // once ever (the ledger pays what the batch finds unpaid, so parallel retries pay once).
  const { xp, base } = translationXp({
    correct,
    score: result.score,
    firstMastery,
    paidToday: Number(found.paidToday),
  });
  const credits: Credit[] = [
    ...(base ? [{ key: `translation:${exercise.id}`, xp: base, localDate: today }] : []),
    ...(firstMastery
      ? [{ key: `mastery:translation:${exercise.id}`, xp: TRANSLATION_MASTERY_XP, localDate: EVER }]
      : []),
  ];
  const awards = awardPlan(deps, user);
  const written = await runWriteBatch(db, {
    attempt: translationAttemptStatements(db, {
      userId: user.id,
      exerciseId: exercise.id,
      score: result.score,
      mastered,
      now,
      activity: {
        userId: user.id,
        kind: "translation",
        skill: exercise.direction === "to_target" ? "writing" : "reading",
        languageId: language.id,
        refId: exercise.id,
        correct: correct ? 1 : 0,
        total: 1,
        score: result.score,
        durationSeconds: input.timeSpentSeconds ?? 0,
        xp: new PaidXp(credits),
        occurredAt: now,
        localDate: today,
      },
    }),
    // After the activity: its XP expression reads what the credits held before.
    credits: creditStatements(db, user.id, credits),
    progress: [translationProgressQuery(db, user.id, exercise.id)],
    awards: awards.statements,
  });
  const [saved] = written.progress[0] as ProgressRow[];
  return {
    exercise_id: exercise.id,
    correct,
    score: result.score,
    closest: result.closest,
    corrections: result.corrections,
    feedback: translationFeedback(result, detection, locale),
    language_detection: detection,
    wrong_language: detection.wrong_language,
    // Checking is where answers may be shown: every accepted translation.
    accepted_translations: accepted,
    notes: localized(exercise.notes, locale),
    mastered: saved?.masteredAt !== null && saved?.masteredAt !== undefined,
    progress: progressView(saved ?? null),
    xp_earned: xp,
    ...await awards.finish(written.awards, now),
  };
}
