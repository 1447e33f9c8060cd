import assert from "node:assert/strict";
import { initialDifficulty, levelLowerBound } from "../domain/ability_model.ts";
import {
  gradePlacementItem,
  languageBank,
  placementCovers,
  placementOutcome,
  placementRandom,
  prerequisiteMet,
  prerequisitesSatisfied,
  startingLessonId,
} from "../domain/placement.ts";

Deno.test("a placement covers courses at or below its level", () => {
  assert.equal(placementCovers("B1", "A2"), true);
  assert.equal(placementCovers("A2", "A2"), true);
  assert.equal(placementCovers("A1", "A2"), false);
  assert.equal(placementCovers(null, "A1"), false);
  assert.equal(placementCovers("Z9", "A1"), false, "an unknown level covers nothing");
});

Deno.test("a prerequisite is met by completing it, or by a placement at the course's level", () => {
  const course = { courseLevel: "A2" };
  assert.deepEqual(prerequisiteMet({ ...course, prerequisite: null, placedLevel: undefined }), {
    met: true,
    via: null,
  });
  assert.deepEqual(
    prerequisiteMet({ ...course, prerequisite: { completed: true }, placedLevel: "A1" }),
    { met: true, via: "completion" },
  );
  assert.deepEqual(
    prerequisiteMet({ ...course, prerequisite: { completed: false }, placedLevel: "B1" }),
    { met: true, via: "placement" },
  );
  assert.deepEqual(
    prerequisiteMet({ ...course, prerequisite: { completed: false }, placedLevel: "A1" }),
    { met: false, via: null },
  );
  assert.deepEqual(
    prerequisiteMet({ ...course, prerequisite: { completed: false }, placedLevel: undefined }),
    { met: false, via: null },
  );
});

const WORD = {
  id: "w-hola",
  level: "A1",
  category: "greetings",
  frequencyRank: 10,
  word: "hola",
  translation: { en: "hello", es: "hola" },
};
const B1_WORD = { ...WORD, id: "w-b1", level: "B1", word: "sin embargo" };
const EXERCISE = {
  id: "e-ser",
  type: "fill_blank",
  answer: "soy",
  accepted: [],
  explanation: { en: "ser" },
};

Deno.test("a language's bank holds items up to the highest level with a course, at stored or prior difficulty", () => {
  const bank = languageBank({
    words: [{ word: WORD }, { word: B1_WORD }],
    exercises: [{ exercise: EXERCISE, topic: { id: "t-ser", level: "A2" } }],
    difficulties: [{ itemId: "e-ser", difficulty: 1.25 }],
    courses: [{ level: "A2" }, { level: "A1" }],
  });
  assert.deepEqual(bank.levels, ["A1", "A2"]);
  assert.deepEqual(bank.items.map((i) => [i.id, i.kind, i.group]), [
    ["w-hola", "vocabulary", "vocabulary:greetings"],
    ["e-ser", "grammar_exercise", "grammar:t-ser"],
  ]);
  assert.equal(bank.items[1].difficulty, 1.25, "the calibrated difficulty wins over the prior");
  assert.equal(
    bank.items[0].difficulty,
    initialDifficulty({ level: "A1", frequencyRank: 10, length: 4 }),
  );
  assert.equal(bank.items[0].word, WORD);
  const noCourses = languageBank({
    words: [{ word: WORD }],
    exercises: [],
    difficulties: [],
    courses: [],
  });
  assert.deepEqual(noCourses.levels, ["A1"]);
});

Deno.test("a placement word is asked for its meaning; an exercise is graded as in practice", () => {
  const options = { locale: "en" as const, targetArticles: [] };
  assert.equal(gradePlacementItem({ word: WORD }, "Hello", options), true);
  assert.equal(gradePlacementItem({ word: WORD }, ["helo"], options), true, "a typo is forgiven");
  assert.equal(gradePlacementItem({ word: WORD }, "hola", options), false, "not the word itself");
  assert.equal(gradePlacementItem({ exercise: EXERCISE }, "Soy", options), true);
  assert.equal(gradePlacementItem({ exercise: EXERCISE }, "eres", options), false);
});

Deno.test("a test's random source repeats for the same step and differs between steps", () => {
  const draw = (id: string, n: number) => placementRandom(id, n)();
  assert.equal(draw("t1", 3), draw("t1", 3));
  assert.notEqual(draw("t1", 3), draw("t1", 4));
  assert.notEqual(draw("t1", 3), draw("t2", 3));
});

Deno.test("a finished test places at the level's course and its first lesson not predicted known", () => {
  const bank = {
    items: [{ id: "easy", difficulty: -3 }, { id: "hard", difficulty: 3 }],
    levels: ["A1", "A2"] as const,
  };
  const structure = {
    courses: [{ id: "a1", level: "A1" }, { id: "a2", level: "A2" }],
    lessons: [
      { id: "a2-1", courseId: "a2" },
      { id: "a2-2", courseId: "a2" },
      { id: "a1-1", courseId: "a1" },
    ],
    lessonWords: [{ lessonId: "a2-1", vocabularyId: "easy" }],
    lessonExercises: [{ lessonId: "a2-2", exerciseId: "hard" }],
  };
  const theta = levelLowerBound("A2") + 0.1;
  assert.deepEqual(placementOutcome(theta, bank, structure), {
    level: "A2",
    courseId: "a2",
    lessonId: "a2-2",
  });
  assert.deepEqual(placementOutcome(-10, bank, structure), {
    level: "A1",
    courseId: "a1",
    lessonId: "a1-1",
  });
  assert.deepEqual(placementOutcome(10, bank, { ...structure, courses: [] }), {
    level: "A2",
    courseId: null,
    lessonId: null,
  });
});

Deno.test("a placement satisfies the prerequisites of the courses at or below its level", () => {
  const courses = [
    { level: "A1", prerequisiteId: null },
    { level: "A2", prerequisiteId: "a1" },
    { level: "B1", prerequisiteId: "a2" },
  ];
  assert.deepEqual(prerequisitesSatisfied("A2", courses), ["a1"]);
  assert.deepEqual(prerequisitesSatisfied("B1", courses), ["a1", "a2"]);
  assert.deepEqual(prerequisitesSatisfied("A1", courses), []);
});

Deno.test("startingLessonId: the placed lesson in the placed course, else the first", () => {
  const lessons = ["l1", "l2", "l3"];
  const placed = { placedCourseId: "c", placedLessonId: "l2" };
  assert.equal(startingLessonId(lessons, "c", placed), "l2");
  assert.equal(startingLessonId(lessons, "other", placed), "l1");
  assert.equal(startingLessonId(lessons, "c", { ...placed, placedLessonId: "gone" }), "l1");
  assert.equal(startingLessonId(lessons, "c", null), "l1");
  assert.equal(startingLessonId([], "c", placed), null);
});
