import assert from "node:assert/strict";
import { enrolInCourse } from "../actions/enrol.ts";
import { openQuiz } from "../actions/open_quiz.ts";
import { quizList } from "../actions/quiz_list.ts";
import { submitQuiz } from "../actions/submit_quiz.ts";
import { actionTest } from "./action_harness.ts";
import { rightAnswers } from "./quiz_keys.ts";

const QUIZ = "es-a1-vocabulary";

actionTest(
  "quizList: the enrolled courses' quizzes with the learner's attempts and best score",
  async (t, { deps, user }) => {
    assert.deepEqual(await quizList(deps, user, {}), {
      data: [],
      meta: { total: 0, course_ids: [] },
    });
    await enrolInCourse(deps, user, { courseId: "es-a1" });
    const all = await quizList(deps, user, {});
    assert.deepEqual(all.data.map((q) => q.kind).sort(), ["final", "grammar", "vocabulary"]);
    assert.deepEqual(all.meta.course_ids, ["es-a1"]);

    const opened = await openQuiz(deps, user, { quizId: QUIZ });
    const keys = await rightAnswers(t.database.client, QUIZ);
    await submitQuiz(deps, user, {
      quizId: QUIZ,
      attemptToken: opened.attempt.token,
      answers: [...keys].map(([questionId, { answer }]) => ({ questionId, answer })),
      timeTakenSeconds: 60,
    });
    const [vocabulary] = (await quizList(deps, user, { kind: "vocabulary" })).data;
    assert.equal(vocabulary.id, QUIZ);
    assert.equal(vocabulary.attempts_used, 1);
    assert.equal(vocabulary.attempts_remaining, vocabulary.max_attempts - 1);
    assert.equal(vocabulary.best_score, 100);
    assert.equal(vocabulary.passed, true);
  },
);

actionTest(
  "quizList: another course by id; an unknown course has no quizzes",
  async (_t, { deps, user }) => {
    const other = await quizList(deps, user, { courseId: "es-a2" });
    assert.equal(other.data.length, 3);
    assert.ok(other.data.every((q) => q.course_id === "es-a2" && q.attempts_used === 0));
    assert.deepEqual((await quizList(deps, user, { courseId: "nope" })).data, []);
  },
);
