import assert from "node:assert/strict";
import {
  answerText,
  exerciseFeedback,
  gradeExercise,
  gradeExerciseSet,
} from "../domain/exercise_checking.ts";

const explanation = { en: "e", es: "e" };
const fill = { id: "a", type: "fill_blank", answer: "está", accepted: [], explanation };
const reorder = {
  id: "b",
  type: "reorder",
  answer: "Yo hablo español",
  accepted: [],
  explanation,
};

Deno.test("case and punctuation do not matter; a missing accent is wrong and named", () => {
  assert.equal(gradeExercise(fill, "  ESTÁ. ").correct, true);
  const accent = gradeExercise(fill, "esta");
  assert.equal(accent.correct, false);
  assert.equal(accent.error, "accent");
  assert.match(exerciseFeedback(accent).en, /accents/);
  assert.equal(gradeExercise(fill, "estoy").error, "wrong");
});

Deno.test("a reorder answer with the right words in the wrong order is a word-order mistake", () => {
  assert.equal(answerText(["Yo", "hablo", "español"]), "Yo hablo español");
  assert.equal(gradeExercise(reorder, ["yo", "hablo", "español"]).correct, true);
  assert.equal(gradeExercise(reorder, ["hablo", "yo", "español"]).error, "word_order");
  assert.equal(gradeExercise(reorder, ["yo", "como", "pan"]).error, "wrong");
});

Deno.test("a set's score is the share of submitted answers that are right", () => {
  const set = gradeExerciseSet([fill, reorder], [
    { exercise_id: "a", answer: "está" },
    { exercise_id: "b", answer: "hablo yo español" },
  ]);
  assert.equal(set.correct, 1);
  assert.equal(set.total, 2);
  assert.equal(set.score, 50);
  assert.equal(set.mastered, false);
  assert.equal(gradeExerciseSet([fill], [{ exercise_id: "a", answer: "está" }]).mastered, true);
  assert.equal(gradeExerciseSet([fill], []).score, 0);
});
