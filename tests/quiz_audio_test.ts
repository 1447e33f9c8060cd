import assert from "node:assert/strict";
import { enrolInCourse } from "../actions/enrol.ts";
import { openQuiz } from "../actions/open_quiz.ts";
import { quizAudio } from "../actions/quiz_audio.ts";
import { ApiError } from "../http/errors.ts";
import { actionLearner, actionTest } from "./action_harness.ts";

const QUIZ = "es-a1-vocabulary";

actionTest(
  "quizAudio: a listening question's recording by its token, whole or a byte range",
  async (t, { deps, user }) => {
    await enrolInCourse(deps, user, { courseId: "es-a1" });
    const opened = await openQuiz(deps, user, { quizId: QUIZ });
    const listening = opened.questions.find((q) => q.type === "listening");
    assert.ok(listening && "audio_url" in listening);
    const token = String(listening.audio_url).split("/").at(-1)!;
    const whole = await quizAudio(deps, user, { quizId: QUIZ, token, range: null });
    assert.match(whole.meta.mimeType, /^audio\//);
    assert.equal(whole.data.length, whole.meta.byteLength);
    const part = await quizAudio(deps, user, { quizId: QUIZ, token, range: { start: 0, end: 3 } });
    assert.deepEqual([...part.data], [...whole.data.subarray(0, 4)]);

    // The URL is the learner's own: another learner's request with it finds nothing.
    const other = await actionLearner(t);
    await assert.rejects(
      () => quizAudio(other.deps, other.user, { quizId: QUIZ, token, range: null }),
      (e: unknown) => e instanceof ApiError && e.status === 404,
    );
  },
);

actionTest("quizAudio: an unknown token is a 404", async (_t, { deps, user }) => {
  await assert.rejects(
    () => quizAudio(deps, user, { quizId: QUIZ, token: "A".repeat(22), range: null }),
    (e: unknown) => e instanceof ApiError && e.status === 404,
  );
});
