import assert from "node:assert/strict";
import {
  challengeAnswerCorrect,
  challengeClosed,
  challengeQuestions,
  LATE_MARGIN_MS,
  secondsLeft,
} from "../domain/timed_challenge.ts";

const WORDS = ["casa", "perro", "gato", "árbol", "agua"].map((word) => ({
  word,
  translation: { en: `${word}-en`, es: word },
}));

Deno.test("challengeQuestions: four distinct options holding the answer, the same for the same seed", () => {
  const questions = challengeQuestions(WORDS, "run-1", 30);
  assert.equal(questions.length, 30);
  assert.deepEqual(questions.slice(0, 2).map((q) => q.id), ["q1", "q2"]);
  for (const q of questions) {
    assert.equal(new Set(q.options).size, 4);
    assert.ok(q.options.includes(q.answer));
    assert.equal(q.meaning.en, `${q.answer}-en`);
  }
  assert.deepEqual(challengeQuestions(WORDS, "run-1", 30), questions);
  assert.notDeepEqual(challengeQuestions(WORDS, "run-2", 30), questions);
});

Deno.test("a challenge closes after its deadline and the network margin", () => {
  const deadline = new Date("2026-01-01T10:01:00Z");
  const at = (ms: number) => new Date(deadline.getTime() + ms);
  assert.equal(challengeClosed(deadline, at(-1000)), false);
  assert.equal(challengeClosed(deadline, at(LATE_MARGIN_MS)), false);
  assert.equal(challengeClosed(deadline, at(LATE_MARGIN_MS + 1)), true);
  assert.equal(secondsLeft(deadline, at(-12_400)), 12);
  assert.equal(secondsLeft(deadline, at(500)), 0);
});

Deno.test("a challenge answer is matched as answers are everywhere: case and spacing aside", () => {
  const [q] = challengeQuestions(WORDS, "run-1", 1);
  assert.equal(challengeAnswerCorrect(` ${q.answer.toUpperCase()} `, q), true);
  assert.equal(challengeAnswerCorrect("nope", q), false);
});
