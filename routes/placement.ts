/**
 * `/api/placement`: the computerised adaptive placement test. Start (or resume)
 * a test in a language, answer the current item, read the state. Items never
 * carry their answers; an answer to anything but the current item is refused.
 * Finishing places the learner at a CEFR level, a course and a lesson, and a
 * placement at a course's level satisfies that course's prerequisite.
 */
import { Hono } from "hono";
import { z } from "zod";
import { itemUpdateStatement, placementAbilityStatements } from "../db/ability_records.ts";
import {
  insertPlacement,
  loadPlacement,
  loadPlacementStart,
  recordPlacementAnswer,
} from "../db/adaptive_learning.ts";
import { activityStatements } from "../db/learning_records.ts";
import type { grammarExercises, grammarTopics, languages, vocabulary } from "../db/schema.ts";
import { type CefrLevel, initialDifficulty, updateAfterAnswer } from "../domain/ability_model.ts";
import { localDate } from "../domain/calendar.ts";
import { CEFR_LEVELS, type Locale } from "../domain/content_schema.ts";
import { gradeExercise } from "../domain/exercise_checking.ts";
import { localized } from "../domain/localize.ts";
import {
  advancePlacement,
  type BankItem,
  placedLesson,
  placedLevel,
  PLACEMENT_RULES,
  placementBank,
  type StoredResponse,
} from "../domain/placement.ts";
import { hashSeed, seededRandom } from "../domain/random.ts";
import { checkPracticeAnswer } from "../domain/vocabulary_practice.ts";
import { exerciseView } from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { conflict, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const StartBody = z.object({ language: LanguageParam }).strict();
const AnswerBody = z.object({
  item_id: z.string().min(1).max(200),
  answer: z.union([z.string().max(500), z.array(z.string().max(100)).max(50)]),
}).strict();

type WordRow = typeof vocabulary.$inferSelect;
type ExerciseRow = typeof grammarExercises.$inferSelect;
type TopicRow = typeof grammarTopics.$inferSelect;
type LanguageRow = typeof languages.$inferSelect;

interface Bank {
  items: (BankItem & { word?: WordRow; exercise?: ExerciseRow })[];
  levels: CefrLevel[];
}

/** The language's item bank at model difficulties, and the levels that have courses. */
function buildBank(
  loaded: {
    words: { word: WordRow }[];
    exercises: { exercise: ExerciseRow; topic: TopicRow }[];
    difficulties: { itemId: string; difficulty: number }[];
    courses: { level: string }[];
  },
): Bank {
  const levels = CEFR_LEVELS.filter((l) => loaded.courses.some((c) => c.level === l));
  const stored = new Map(loaded.difficulties.map((d) => [d.itemId, d.difficulty]));
  const raw = [
    ...loaded.words.map(({ word }) => ({
      id: word.id,
      kind: "vocabulary" as const,
      level: word.level,
      group: `vocabulary:${word.category}`,
      word,
      prior: initialDifficulty({
        level: word.level,
        frequencyRank: word.frequencyRank,
        length: [...word.word].length,
      }),
    })),
    ...loaded.exercises.map(({ exercise, topic }) => ({
      id: exercise.id,
      kind: "grammar_exercise" as const,
      level: topic.level,
      group: `grammar:${topic.id}`,
      exercise,
      prior: initialDifficulty({
        level: topic.level,
        type: exercise.type,
        length: exercise.answer.length,
      }),
    })),
  ];
  return {
    items: placementBank(raw, stored, levels.length ? levels : ["A1"]) as Bank["items"],
    levels: levels.length ? levels : ["A1"],
  };
}

/** An item as the learner sees it: never the answer. */
function itemView(item: Bank["items"][number], locale: Locale) {
  if (item.word) {
    const w = item.word;
    return {
      item_id: item.id,
      kind: "vocabulary" as const,
      level: item.level,
      type: "translation_to_native",
      instruction: locale === "es" ? "Escribe el significado" : "Type the meaning",
      word: w.word,
      reading: w.reading,
      romanization: w.romanization,
      part_of_speech: w.partOfSpeech,
    };
  }
  const { id: _id, topic_id, ...view } = exerciseView(item.exercise!, locale);
  return {
    item_id: item.id,
    kind: "grammar_exercise" as const,
    level: item.level,
    topic_id,
    ...view,
  };
}

function gradeItem(
  item: Bank["items"][number],
  answer: string | string[],
  language: LanguageRow,
  locale: Locale,
): boolean {
  if (item.word) {
    const text = Array.isArray(answer) ? answer.join(" ") : answer;
    return checkPracticeAnswer(item.word, text, {
      direction: "to_native",
      locale,
      targetArticles: language.optionalArticles,
    }).correct;
  }
  return gradeExercise(item.exercise!, answer).correct;
}

function randomFor(testId: string, answered: number) {
  return seededRandom(hashSeed(`${testId}:${answered}`));
}

function testView(
  test: {
    id: string;
    languageId: string;
    status: string;
    startedAt: Date;
    finishedAt: Date | null;
    theta: number;
    standardError: number;
    responses: unknown[];
    placedLevel: string | null;
    placedCourseId: string | null;
    placedLessonId: string | null;
  },
  current: ReturnType<typeof itemView> | null,
  extra: Record<string, unknown> = {},
) {
  const responses = test.responses as StoredResponse[];
  return {
    id: test.id,
    language_id: test.languageId,
    status: test.status,
    started_at: test.startedAt.toISOString(),
    finished_at: test.finishedAt?.toISOString() ?? null,
    answered: responses.length,
    correct: responses.filter((r) => r.correct).length,
    max_items: PLACEMENT_RULES.maxItems,
    estimate: {
      theta: Math.round(test.theta * 1000) / 1000,
      standard_error: Math.round(test.standardError * 1000) / 1000,
    },
    current_item: current,
    result: test.status === "finished"
      ? {
        level: test.placedLevel,
        course_id: test.placedCourseId,
        lesson_id: test.placedLessonId,
      }
      : null,
    ...extra,
  };
}

export const placementRoutes = new Hono<AppEnv>()
  .post(
    "/start",
    describe({
      summary: "Start a placement test in a language, or resume the one in progress",
      description:
        "A computerised adaptive test over the language's words and grammar exercises: each " +
        "item is the most informative at the current ability estimate. Answer with " +
        "`POST /api/placement/{id}/answer`.",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "Resumed", 201: "Started", 404: "Unknown language" },
    }),
    requireUser,
    validate("json", StartBody),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const { language: key } = c.req.valid("json");
      const loaded = await loadPlacementStart(db, user.id, key);
      if (!loaded) throw notFound(`Language ${key}`);
      const bank = buildBank(loaded);
      if (loaded.open) {
        const current = bank.items.find((i) => i.id === loaded.open!.currentItemId);
        return c.json({ data: testView(loaded.open, current ? itemView(current, locale) : null) });
      }
      const id = crypto.randomUUID();
      const step = advancePlacement([], bank.items, {
        levels: bank.levels,
        random: randomFor(id, 0),
      });
      if (!step.next) throw conflict("This language has no items to place you with");
      const now = clock.now();
      const row = {
        id,
        userId: user.id,
        languageId: loaded.language.id,
        status: "in_progress" as const,
        startedAt: now,
        finishedAt: null,
        theta: step.estimate.theta,
        standardError: step.estimate.standardError,
        responses: [],
        currentItemId: step.next.id,
        placedLevel: null,
        placedCourseId: null,
        placedLessonId: null,
      };
      await insertPlacement(db, row);
      return c.json({ data: testView(row, itemView(step.next, locale)) }, 201);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "A placement test: progress, estimate, the current item or the placement",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "The test", 404: "Unknown test" },
    }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const { db, locale } = c.var;
      const user = currentUser(c);
      const loaded = await loadPlacement(db, user.id, c.req.valid("param").id);
      if (!loaded) throw notFound("Placement test");
      const bank = buildBank(loaded);
      const current = loaded.test.status === "in_progress"
        ? bank.items.find((i) => i.id === loaded.test.currentItemId)
        : undefined;
      return c.json({ data: testView(loaded.test, current ? itemView(current, locale) : null) });
    },
  )
  .post(
    "/:id/answer",
    describe({
      summary: "Answer the current item; returns the next one or the placement",
      description: "The test stops when the ability estimate's standard error is below " +
        `${PLACEMENT_RULES.targetStandardError}, when the level can no longer change, or after ` +
        `${PLACEMENT_RULES.maxItems} items (at least ${PLACEMENT_RULES.minItems}). An answer to ` +
        "an item other than the current one is refused with 409.",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "Recorded", 404: "Unknown test", 409: "Not the current item, or finished" },
    }),
    requireUser,
    validate("param", IdParam),
    validate("json", AnswerBody),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const body = c.req.valid("json");
      const loaded = await loadPlacement(db, user.id, c.req.valid("param").id);
      if (!loaded) throw notFound("Placement test");
      const { test, language } = loaded;
      if (test.status !== "in_progress") {
        throw conflict("This placement test is finished", { reason: "finished" });
      }
      if (body.item_id !== test.currentItemId) {
        throw conflict("Answer the current item of the test", {
          reason: "not_current_item",
          current_item_id: test.currentItemId,
        });
      }
      const bank = buildBank(loaded);
      const item = bank.items.find((i) => i.id === body.item_id);
      if (!item) throw conflict("This item is no longer available; start a new test");
      const correct = gradeItem(item, body.answer, language, locale);
      const previous = test.responses as StoredResponse[];
      const responses: StoredResponse[] = [
        ...previous,
        { item_id: item.id, group: item.group, difficulty: item.difficulty, correct },
      ];
      const step = advancePlacement(responses, bank.items, {
        levels: bank.levels,
        random: randomFor(test.id, responses.length),
      });
      const now = clock.now();
      const finished = step.stop !== null;
      let placed: { level: CefrLevel; courseId: string | null; lessonId: string | null } | null =
        null;
      if (finished) {
        const level = placedLevel(step.estimate.theta, bank.levels);
        const course = loaded.courses.find((co) => co.level === level) ?? null;
        const difficulty = new Map(bank.items.map((i) => [i.id, i.difficulty]));
        const courseLessons = loaded.lessons.filter((l) => l.courseId === course?.id).map((l) => ({
          id: l.id,
          difficulties: [
            ...loaded.lessonWords.filter((w) => w.lessonId === l.id).map((w) => w.vocabularyId),
            ...loaded.lessonExercises.filter((e) => e.lessonId === l.id).map((e) => e.exerciseId),
          ].map((id) => difficulty.get(id)).filter((d): d is number => d !== undefined),
        }));
        placed = {
          level,
          courseId: course?.id ?? null,
          lessonId: placedLesson(step.estimate.theta, courseLessons),
        };
      }
      // Placement answers calibrate the item like any other answer (the learner's
      // ability is the test's own estimate, set once at the end).
      const storedItem = loaded.difficulties.find((d) => d.itemId === item.id);
      const calibration = updateAfterAnswer(
        { theta: test.theta, evidence: previous.length },
        { difficulty: item.difficulty, answers: storedItem?.answers ?? 0 },
        correct ? 1 : 0,
      );
      const chained = [
        ...activityStatements(db, {
          userId: user.id,
          kind: "placement",
          skill: item.kind === "vocabulary" ? "vocabulary" : "grammar",
          languageId: language.id,
          refId: test.id,
          correct: correct ? 1 : 0,
          total: 1,
          score: correct ? 100 : 0,
          durationSeconds: 0,
          xp: 0,
          occurredAt: now,
          localDate: localDate(now, user.timezone),
        }, { afterConditionalWrite: true }),
        itemUpdateStatement(db, {
          itemId: item.id,
          itemType: item.kind,
          languageId: language.id,
          start: item.difficulty,
          difficultyDelta: calibration.difficultyDelta,
          correct,
          now,
        }, { afterConditionalWrite: true }),
        ...(finished
          ? placementAbilityStatements(db, {
            userId: user.id,
            languageId: language.id,
            theta: step.estimate.theta,
            answers: responses.length,
            now,
          })
          : []),
      ];
      const set = {
        responses,
        theta: step.estimate.theta,
        standardError: step.estimate.standardError,
        currentItemId: step.next?.id ?? null,
        ...(placed
          ? {
            status: "finished" as const,
            finishedAt: now,
            placedLevel: placed.level,
            placedCourseId: placed.courseId,
            placedLessonId: placed.lessonId,
          }
          : {}),
      };
      const recorded = await recordPlacementAnswer(db, {
        testId: test.id,
        version: test.version,
        set,
        chained,
      });
      if (!recorded) {
        throw conflict("This item was answered elsewhere at the same moment; reload the test");
      }
      const course = placed ? loaded.courses.find((co) => co.id === placed!.courseId) : null;
      const prerequisitesMet = placed
        ? loaded.courses.filter((co) =>
          CEFR_LEVELS.indexOf(co.level as CefrLevel) <= CEFR_LEVELS.indexOf(placed!.level) &&
          co.prerequisiteId
        ).map((co) => co.prerequisiteId)
        : [];
      return c.json({
        data: {
          ...testView(
            {
              ...test,
              ...set,
              status: placed ? "finished" : "in_progress",
              finishedAt: placed ? now : null,
            },
            step.next ? itemView(step.next, locale) : null,
          ),
          last_answer: { item_id: item.id, correct },
          stop_reason: step.stop,
          placement: placed
            ? {
              level: placed.level,
              course_id: placed.courseId,
              course_title: course ? localized(course.title, locale) : null,
              lesson_id: placed.lessonId,
              prerequisites_satisfied: prerequisitesMet,
            }
            : null,
        },
      });
    },
  );
