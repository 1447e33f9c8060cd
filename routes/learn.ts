/**
 * `/api/learn`: adaptive guidance. `next` is the learner's best next step with a
 * reason; `path` marks each lesson of a course skip / review / learn from
 * placement and mastery; `practice` is an adaptive set of grammar exercises and
 * new words whose predicted success is closest to the learner's target rate
 * (the one endpoint that applies adaptive selection).
 */
import { Hono } from "hono";
import { z } from "zod";
import { abilityFor } from "../db/ability_records.ts";
import { loadNextActivity, loadPathInputs, loadPracticePool } from "../db/adaptive_learning.ts";
import { currentLanguageId } from "../db/catalog.ts";
import { cardState } from "../db/vocabulary_cards.ts";
import { initialDifficulty } from "../domain/ability_model.ts";
import { addDays, localDate } from "../domain/calendar.ts";
import { selectByTargetSuccess, targetSuccessRate } from "../domain/adaptive_selection.ts";
import { levelRank, nextActivity, personalisedPath } from "../domain/learning_path.ts";
import { localized } from "../domain/localize.ts";
import { hashSeed, seededRandom } from "../domain/random.ts";
import { learnerSchedulerOptions, retrievability } from "../domain/spaced_repetition.ts";
import { exerciseView } from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { languageIdOr404 } from "../http/lookups.ts";
import { validate } from "../http/validate.ts";

const PathQuery = z.object({ course_id: IdParam.shape.id }).strict();
const PracticeQuery = z.object({
  language: LanguageParam.optional(),
  size: z.coerce.number().int().min(1).max(30).default(10),
}).strict();

/** How far back recent grammar errors count for the weak-topic suggestion. */
const WEAK_TOPIC_DAYS = 14;
/** Due cards read for the at-risk count (bounds the work on huge backlogs). */
const DUE_WINDOW = 200;
/** Exercises answered right within this many local days (today included) step back. */
const RECENT_DAYS = 3;

/** At most this many exercises of one grammar topic in a practice set. */
const PER_TOPIC = 2;

const round = (x: number) => Math.round(x * 1000) / 1000;

export const learnRoutes = new Hono<AppEnv>()
  .get(
    "/next",
    describe({
      summary: "The learner's best next step, with a machine reason and a sentence",
      description:
        "In priority order: due reviews at risk of being forgotten (recall probability under " +
        "85%), the next available lesson of the most recent course, the grammar topic with the " +
        `most mistakes in the last ${WEAK_TOPIC_DAYS} days, then a course to start.`,
      tags: ["adaptive"],
      auth: "user",
    }),
    requireUser,
    async (c) => {
      const { db, clock, locale, config } = c.var;
      const user = currentUser(c);
      const now = clock.now();
      const loaded = await loadNextActivity(db, {
        userId: user.id,
        now,
        since: new Date(now.getTime() - WEAK_TOPIC_DAYS * 86_400_000),
        dueLimit: DUE_WINDOW,
      });
      const options = learnerSchedulerOptions(
        user.preferences,
        config.FSRS_FUZZ,
        loaded.parameters,
      );
      const recent = loaded.enrolments[0] ?? null;
      const nextLesson = loaded.courseLessons.find((l) => l.status === "available") ?? null;
      // The course to suggest: after the current course is completed, the one
      // that requires it; with no course, the placed course or the first one of
      // the learner's target language.
      const placement = loaded.placements[0] ?? null;
      let suggested = null;
      if (recent?.progress.completedAt) {
        suggested = loaded.courses.find((co) => co.prerequisiteId === recent.course.id) ?? null;
      } else if (!recent) {
        const languageId = placement?.languageId ?? user.targetLanguages[0] ?? null;
        const ofLanguage = loaded.courses.filter((co) => co.languageId === languageId);
        suggested = ofLanguage.find((co) => co.level === placement?.level) ?? ofLanguage[0] ?? null;
      }
      const decision = nextActivity({
        dueRetrievabilities: loaded.due.map((d) => retrievability(cardState(d), now, options)),
        currentCourse: recent
          ? {
            id: recent.course.id,
            title: localized(recent.course.title, locale),
            nextLesson: nextLesson
              ? { id: nextLesson.id, title: localized(nextLesson.title, locale) }
              : null,
          }
          : null,
        weakTopics: loaded.weak.map((w) => ({
          id: w.topic.id,
          title: localized(w.topic.title, locale),
          errors: Number(w.errors),
        })),
        suggestedCourse: suggested
          ? {
            id: suggested.id,
            title: localized(suggested.title, locale),
            enrolled: loaded.enrolments.some((e) => e.course.id === suggested!.id),
          }
          : null,
        placed: placement !== null,
      });
      return c.json({ data: { ...decision, message: localized(decision.message, locale) } });
    },
  )
  .get(
    "/path",
    describe({
      summary: "A personalised path through a course: each lesson marked skip, review or learn",
      description:
        "A lesson is skipped when it is completed, when a finished placement test placed the " +
        "learner beyond it, or when the learner's ability (10+ answers) predicts 80% success on " +
        "its words and exercises. Attempted but unmastered lessons are `review`, the rest `learn`.",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "The path", 404: "Unknown course" },
    }),
    requireUser,
    validate("query", PathQuery),
    async (c) => {
      const { db, locale } = c.var;
      const user = currentUser(c);
      const loaded = await loadPathInputs(db, user.id, c.req.valid("query").course_id);
      if (!loaded || loaded.course.status !== "published") throw notFound("Course");
      const { course, placement } = loaded;
      const vocabulary = abilityFor(loaded.abilities, "vocabulary");
      const grammar = abilityFor(loaded.abilities, "grammar");
      const combined = {
        theta: vocabulary.evidence + grammar.evidence > 0
          ? (vocabulary.theta * vocabulary.evidence + grammar.theta * grammar.evidence) /
            (vocabulary.evidence + grammar.evidence)
          : 0,
        evidence: vocabulary.evidence + grammar.evidence,
      };
      const placedLesson = placement?.placedCourseId === course.id
        ? loaded.lessons.find((l) => l.id === placement.placedLessonId)?.position ?? null
        : null;
      const steps = personalisedPath(
        loaded.lessons.map((l) => {
          const ability = l.type === "vocabulary"
            ? vocabulary
            : l.type === "grammar"
            ? grammar
            : combined;
          return {
            id: l.id,
            position: l.position,
            difficulties: [
              ...loaded.words.filter((w) => w.lessonId === l.id).map((w) =>
                w.stored ?? initialDifficulty({
                  level: w.word.level,
                  frequencyRank: w.word.frequencyRank,
                  length: [...w.word.word].length,
                })
              ),
              ...loaded.exercises.filter((e) => e.lessonId === l.id).map((e) =>
                e.stored ?? initialDifficulty({
                  level: e.level,
                  type: e.exercise.type,
                  length: e.exercise.answer.length,
                })
              ),
            ],
            ability: ability.evidence > 0 ? ability : null,
            completed: l.status === "completed",
            bestScore: l.bestScore,
          };
        }),
        placement
          ? {
            beyond: levelRank(placement.placedLevel) > levelRank(course.level),
            atLessonPosition: placedLesson,
          }
          : null,
      );
      const byId = new Map(loaded.lessons.map((l) => [l.id, l]));
      return c.json({
        data: {
          course_id: course.id,
          level: course.level,
          placement: placement
            ? {
              id: placement.id,
              level: placement.placedLevel,
              course_id: placement.placedCourseId,
              lesson_id: placement.placedLessonId,
            }
            : null,
          abilities: {
            vocabulary: { theta: round(vocabulary.theta), evidence: vocabulary.evidence },
            grammar: { theta: round(grammar.theta), evidence: grammar.evidence },
          },
          next_lesson_id: steps.find((s) => s.action !== "skip")?.lesson_id ?? null,
          lessons: steps.map((s) => {
            const l = byId.get(s.lesson_id)!;
            return {
              ...s,
              position: l.position,
              type: l.type,
              title: localized(l.title, locale),
              status: l.status ?? null,
            };
          }),
          summary: {
            skip: steps.filter((s) => s.action === "skip").length,
            review: steps.filter((s) => s.action === "review").length,
            learn: steps.filter((s) => s.action === "learn").length,
          },
        },
      });
    },
  )
  .get(
    "/practice",
    describe({
      summary: "An adaptive practice set: exercises and new words at the learner's target success",
      description:
        "Grammar exercises and words the learner has not started, chosen so that the model's " +
        "predicted success is closest to `target_success_rate` (preference, 0.70–0.95, default " +
        "0.80); at most 2 exercises per topic; easiest first. Never includes answers. Answer " +
        "exercises with `POST /api/grammar/{topic_id}/exercise` and words with " +
        "`POST /api/vocabulary/{id}/practice`; each answer updates the model.",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "The set", 404: "Unknown language" },
    }),
    requireUser,
    validate("query", PracticeQuery),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const q = c.req.valid("query");
      const languageId = (await languageIdOr404(db, q.language)) ??
        (await currentLanguageId(db, user.id)) ?? user.targetLanguages[0] ?? null;
      if (!languageId) throw notFound("A language to practise (pass ?language=)");
      const today = localDate(clock.now(), user.timezone);
      const pool = await loadPracticePool(db, {
        userId: user.id,
        languageId,
        sinceDay: addDays(today, 1 - RECENT_DAYS),
      });
      const target = targetSuccessRate(user.preferences.target_success_rate);
      const stored = new Map(pool.difficulties.map((d) => [d.itemId, d.difficulty]));
      const started = new Set(pool.cards.map((card) => card.vocabularyId));
      const vocabularyAbility = abilityFor(pool.abilities, "vocabulary");
      const grammarAbility = abilityFor(pool.abilities, "grammar");
      const random = seededRandom(hashSeed(`${user.id}:${clock.now().toISOString()}`));
      const exercises = pool.exercises.map(({ exercise, topic }) => ({
        id: exercise.id,
        group: topic.id,
        exercise,
        difficulty: stored.get(exercise.id) ?? initialDifficulty({
          level: topic.level,
          type: exercise.type,
          length: exercise.answer.length,
        }),
      }));
      const words = pool.words.filter(({ word }) => !started.has(word.id)).map(({ word }) => ({
        id: word.id,
        word,
        difficulty: stored.get(word.id) ?? initialDifficulty({
          level: word.level,
          frequencyRank: word.frequencyRank,
          length: [...word.word].length,
        }),
      }));
      // Half exercises, half words; a short pool leaves its share to the other.
      const grammarShare = Math.min(Math.ceil(q.size / 2), exercises.length);
      const wordShare = Math.min(q.size - grammarShare, words.length);
      const pickedExercises = selectByTargetSuccess(exercises, grammarAbility.theta, {
        target,
        size: Math.max(grammarShare, q.size - wordShare),
        random,
        perGroup: PER_TOPIC,
        recent: pool.recentlyRight,
      });
      const pickedWords = selectByTargetSuccess(words, vocabularyAbility.theta, {
        target,
        size: q.size - pickedExercises.length,
        random,
      });
      const items = [
        ...pickedExercises.map(({ item, predicted }) => ({
          kind: "grammar_exercise" as const,
          item_id: item.id,
          predicted_success: round(predicted),
          difficulty: round(item.difficulty),
          answer_with: `POST /api/grammar/${item.group}/exercise`,
          prompt: exerciseView(item.exercise, locale),
        })),
        ...pickedWords.map(({ item, predicted }) => ({
          kind: "vocabulary" as const,
          item_id: item.id,
          predicted_success: round(predicted),
          difficulty: round(item.difficulty),
          answer_with: `POST /api/vocabulary/${item.id}/practice`,
          prompt: {
            direction: "to_native" as const,
            text: item.word.word,
            reading: item.word.reading,
            romanization: item.word.romanization,
            level: item.word.level,
            instruction: locale === "es" ? "Escribe el significado" : "Type the meaning",
          },
        })),
      ].sort((a, b) => b.predicted_success - a.predicted_success);
      return c.json({
        data: items,
        meta: {
          total: items.length,
          language_id: languageId,
          target_success_rate: target,
          expected_success: items.length
            ? round(items.reduce((s, i) => s + i.predicted_success, 0) / items.length)
            : null,
          abilities: {
            vocabulary: {
              theta: round(vocabularyAbility.theta),
              evidence: vocabularyAbility.evidence,
            },
            grammar: { theta: round(grammarAbility.theta), evidence: grammarAbility.evidence },
          },
        },
      });
    },
  );
