import assert from "node:assert/strict";
import {
  attemptDeadline,
  attemptOrder,
  attemptSeed,
  attemptStart,
  pastDeadline,
  quizXp,
  SUBMIT_GRACE_SECONDS,
} from "../domain/quiz_attempts.ts";

const QUESTIONS = [
  { id: "q1", optionCount: 4 },
  { id: "q2", optionCount: 1 },
  { id: "q3", optionCount: 3 },
  { id: "q4", optionCount: 0 },
];

Deno.test("an attempt's order is a permutation fixed by learner, quiz and attempt number", () => {
  const seed = attemptSeed("learner-1", "es-a1-final", 1);
  const a = attemptOrder(seed, QUESTIONS);
  assert.deepEqual(attemptOrder(seed, QUESTIONS), a, "a reload shows the same order");
  assert.deepEqual([...a.questions].sort(), ["q1", "q2", "q3", "q4"]);
  assert.deepEqual(Object.keys(a.options).sort(), ["q1", "q3"], "only questions with options");
  assert.deepEqual([...a.options.q1].sort(), [0, 1, 2, 3]);
  const orders = new Set(
    Array.from(
      { length: 20 },
      (_, i) =>
        JSON.stringify(attemptOrder(attemptSeed("learner-1", "es-a1-final", i + 1), QUESTIONS)),
    ),
  );
  assert.ok(orders.size > 1, "different attempts get different orders");
  const others = new Set(
    Array.from(
      { length: 20 },
      (_, i) =>
        JSON.stringify(attemptOrder(attemptSeed(`learner-${i}`, "es-a1-final", 1), QUESTIONS)),
    ),
  );
  assert.ok(others.size > 1, "different learners get different orders");
});

Deno.test("an attempt is open until its deadline plus the grace; untimed ones never close", () => {
  const issuedAt = new Date("2026-01-01T09:50:00Z");
  const deadline = attemptDeadline(issuedAt, 600)!;
  assert.equal(deadline.toISOString(), "2026-01-01T10:00:00.000Z");
  const at = (ms: number) => new Date(deadline.getTime() + ms);
  assert.equal(pastDeadline(deadline, at(0)), false);
  assert.equal(pastDeadline(deadline, at(SUBMIT_GRACE_SECONDS * 1000)), false);
  assert.equal(pastDeadline(deadline, at(SUBMIT_GRACE_SECONDS * 1000 + 1)), true);
  assert.equal(attemptDeadline(issuedAt, null), null);
  assert.equal(pastDeadline(null, at(1e9)), false);
});

Deno.test("quiz XP rewards the score, passing, a perfect score and difficulty; half on a repeat", () => {
  assert.equal(quizXp({ percentage: 50, passed: false, difficulty: 1, passedBefore: false }), 10);
  assert.equal(quizXp({ percentage: 80, passed: true, difficulty: 1, passedBefore: false }), 26);
  assert.equal(quizXp({ percentage: 100, passed: true, difficulty: 3, passedBefore: false }), 50);
  assert.equal(quizXp({ percentage: 100, passed: true, difficulty: 3, passedBefore: true }), 25);
});

Deno.test("attemptStart: a reload of the same attempt before its deadline keeps its start", () => {
  const issuedAt = new Date("2026-01-01T10:00:00Z");
  const held = { attemptNumber: 2, issuedAt };
  const at = (seconds: number) => new Date(issuedAt.getTime() + seconds * 1000);
  const timed = { number: 2, timeLimitSeconds: 600 };
  assert.equal(attemptStart(held, timed, at(300)), issuedAt);
  assert.deepEqual(attemptStart(held, timed, at(3600)), at(3600)); // past the deadline
  assert.deepEqual(attemptStart(held, { ...timed, number: 3 }, at(60)), at(60)); // next attempt
  assert.deepEqual(attemptStart(null, timed, at(60)), at(60));
  assert.equal(attemptStart(held, { number: 2, timeLimitSeconds: null }, at(86_400)), issuedAt);
});
