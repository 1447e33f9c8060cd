import assert from "node:assert/strict";
import { enrolInCourse } from "../actions/enrol.ts";
import { openQuiz } from "../actions/open_quiz.ts";
import { ApiError } from "../http/errors.ts";
import { readAttemptToken } from "../http/quiz_tokens.ts";
import { actionTest, tableCounts, withRoundTrips } from "./action_harness.ts";

const QUIZ = "es-a1-vocabulary";

actionTest(
  "openQuiz: the attempt's questions without answers and a token; a reload keeps its start",
  async (t, { deps, user }) => {
    await enrolInCourse(deps, user, { courseId: "es-a1" });
    const before = await tableCounts(t, ["quiz_attempts", "activity_log"]);
    const { result, roundTrips } = await withRoundTrips(() =>
      openQuiz(deps, user, { quizId: QUIZ })
    );
    assert.equal(roundTrips, 1);
    assert.equal(result.quiz.id, QUIZ);
    assert.equal(result.attempt.attempt_number, 1);
    assert.equal(result.attempt.started_at, t.clock.now().toISOString());
    const held = readAttemptToken(deps.config.QUIZ_TOKEN_SECRET, result.attempt.token, {
      userId: user.id,
      quizId: QUIZ,
    });
    assert.equal(held?.attemptNumber, 1);
    assert.ok(result.questions.length > 0);
    for (const q of result.questions) {
      assert.ok(!("answer" in q) && !("correct_answer" in q), q.id);
    }
    t.clock.advance(30_000);
    const reload = await openQuiz(deps, user, { quizId: QUIZ, heldToken: result.attempt.token });
    assert.equal(reload.attempt.started_at, result.attempt.started_at);
    assert.deepEqual(reload.questions.map((q) => q.id), result.questions.map((q) => q.id));
    const fresh = await openQuiz(deps, user, { quizId: QUIZ, heldToken: "forged" });
    assert.equal(fresh.attempt.started_at, t.clock.now().toISOString());
    assert.deepEqual(await tableCounts(t, ["quiz_attempts", "activity_log"]), before);
  },
);

actionTest(
  "openQuiz: 403 before enrolment, 404 for an unknown quiz",
  async (_t, { deps, user }) => {
    await assert.rejects(
      () => openQuiz(deps, user, { quizId: QUIZ }),
      (e: unknown) =>
        e instanceof ApiError && e.status === 403 && e.extra?.reason === "not_enrolled",
    );
    await assert.rejects(
      () => openQuiz(deps, user, { quizId: "no-such-quiz" }),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
  },
);
