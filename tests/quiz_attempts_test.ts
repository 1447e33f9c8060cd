import assert from "node:assert/strict";
import {
  attemptOrder,
  attemptState,
  quizXp,
  SUBMIT_GRACE_SECONDS,
} from "../domain/quiz_attempts.ts";

const QUESTIONS = [
  { id: "q1", optionCount: 4 },
  { id: "q2", optionCount: 1 },
  { id: "q3", optionCount: 3 },
  { id: "q4", optionCount: 0 },
];

Deno.test("an attempt's order is a permutation fixed by its id", () => {
  const a = attemptOrder("attempt-a", QUESTIONS);
  assert.deepEqual(attemptOrder("attempt-a", QUESTIONS), a, "a reload shows the same order");
  assert.deepEqual([...a.questions].sort(), ["q1", "q2", "q3", "q4"]);
  assert.deepEqual(Object.keys(a.options).sort(), ["q1", "q3"], "only questions with options");
  assert.deepEqual([...a.options.q1].sort(), [0, 1, 2, 3]);
  const orders = new Set(
    Array.from({ length: 20 }, (_, i) => JSON.stringify(attemptOrder(`attempt-${i}`, QUESTIONS))),
  );
  assert.ok(orders.size > 1, "different attempts get different orders");
});

Deno.test("an attempt is open until its deadline plus the grace, and submitted once", () => {
  const deadlineAt = new Date("2026-01-01T10:00:00Z");
  const at = (ms: number) => new Date(deadlineAt.getTime() + ms);
  assert.equal(attemptState({ submittedAt: null, deadlineAt }, at(0)), "open");
  assert.equal(
    attemptState({ submittedAt: null, deadlineAt }, at(SUBMIT_GRACE_SECONDS * 1000)),
    "open",
  );
  assert.equal(
    attemptState({ submittedAt: null, deadlineAt }, at(SUBMIT_GRACE_SECONDS * 1000 + 1)),
    "expired",
  );
  assert.equal(attemptState({ submittedAt: at(-5), deadlineAt }, at(60_000)), "submitted");
  assert.equal(attemptState({ submittedAt: null, deadlineAt: null }, at(1e9)), "open");
});

Deno.test("quiz XP rewards the score, passing, a perfect score and difficulty; half on a repeat", () => {
  assert.equal(quizXp({ percentage: 50, passed: false, difficulty: 1, passedBefore: false }), 10);
  assert.equal(quizXp({ percentage: 80, passed: true, difficulty: 1, passedBefore: false }), 26);
  assert.equal(quizXp({ percentage: 100, passed: true, difficulty: 3, passedBefore: false }), 50);
  assert.equal(quizXp({ percentage: 100, passed: true, difficulty: 3, passedBefore: true }), 25);
});
