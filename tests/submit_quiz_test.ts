/**
 * The quiz submission action, called directly (no HTTP) against a fresh database:
 * what a recorded submission writes, and that a refused or losing one writes nothing.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import type { ActionDeps, Learner } from "../actions/deps.ts";
import { type QuizSubmission, submitQuiz } from "../actions/submit_quiz.ts";
import type { Db } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { ApiError } from "../http/errors.ts";
import { issueAttemptToken } from "../http/quiz_tokens.ts";
import { type Clock, ManualClock } from "../platform/clock.ts";
import { signUp, type TestApp, testApp } from "./helpers.ts";
import { rightAnswers } from "./quiz_keys.ts";

const QUIZ = "es-a1-final";

async function learner(t: TestApp) {
  const { token, user } = await signUp(t);
  const enrol = await t.call("POST", "/api/courses/es-a1/enroll", { token });
  assert.equal(enrol.status, 201);
  const [row] = await t.database.db.select().from(users).where(eq(users.id, user.id));
  return row;
}

function deps(t: TestApp, options: { db?: Db; clock?: Clock } = {}): ActionDeps {
  return {
    db: options.db ?? t.database.db,
    clock: options.clock ?? t.clock,
    config: t.config,
    locale: "en",
  };
}

/**
 * Answers to the final: right ones, except `wrong` translation questions answered
 * with a word that is not the answer (so they are recorded as error events).
 */
async function answers(t: TestApp, wrong: number) {
  const keys = await rightAnswers(t.database.client, QUIZ);
  let left = wrong;
  return [...keys].map(([questionId, { key, answer }]) => {
    if (left > 0 && key.type === "translation") {
      left--;
      return { questionId, answer: "zzzz" };
    }
    return { questionId, answer };
  });
}

function submission(
  t: TestApp,
  userId: string,
  given: QuizSubmission["answers"],
  issuedAt: Date = t.clock.now(),
): QuizSubmission {
  return {
    quizId: QUIZ,
    attemptToken: issueAttemptToken(t.config.QUIZ_TOKEN_SECRET, {
      userId,
      quizId: QUIZ,
      attemptNumber: 1,
      issuedAt,
    }),
    answers: given,
    timeTakenSeconds: 60,
  };
}

/** Everything a submission may write for the learner, as one comparable value. */
async function written(t: TestApp, userId: string) {
  const row = await t.database.client.execute({
    sql: `SELECT
      (SELECT count(*) FROM quiz_attempts WHERE user_id = :u) AS attempts,
      (SELECT submitted_at FROM quiz_attempts WHERE user_id = :u) AS submitted_at,
      (SELECT count(*) FROM activity_log WHERE user_id = :u) AS activities,
      (SELECT coalesce(sum(xp), 0) FROM activity_log WHERE user_id = :u) AS logged_xp,
      (SELECT xp FROM users WHERE id = :u) AS xp,
      (SELECT coalesce(sum(actions), 0) FROM daily_activity WHERE user_id = :u) AS daily_actions,
      (SELECT coalesce(sum(xp), 0) FROM weekly_xp WHERE user_id = :u) AS weekly_xp,
      (SELECT revision FROM learner_totals WHERE user_id = :u) AS totals_revision,
      (SELECT coalesce(sum(actions), 0) FROM learner_activity_totals WHERE user_id = :u)
        AS totals_actions,
      (SELECT coalesce(sum(evidence), 0) FROM learner_abilities WHERE user_id = :u) AS evidence,
      (SELECT coalesce(sum(answers), 0) FROM item_difficulties) AS item_answers,
      (SELECT count(*) FROM error_events WHERE user_id = :u) AS errors,
      (SELECT count(*) FROM certificates WHERE user_id = :u) AS certificates,
      (SELECT attempt_id FROM certificates WHERE user_id = :u) AS certificate_attempt,
      (SELECT last_activity_at FROM user_progress WHERE user_id = :u AND course_id = 'es-a1')
        AS last_activity`,
    args: { u: userId },
  });
  return { ...row.rows[0] } as Record<string, unknown>;
}

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => null, (e) => e);
  assert.ok(error instanceof ApiError, `expected a refusal, got ${error}`);
  return error;
}

/**
 * A database handle for one racing submission: `before(n)` runs before its n-th
 * batch (1: the load, 2: the write) and `after(n)` once that batch is done.
 */
function gated(
  db: Db,
  hooks: { before?: (n: number) => Promise<void>; after?: (n: number) => void },
) {
  const handle = Object.create(db) as Db;
  let calls = 0;
  handle.batch = (async (statements: Parameters<Db["batch"]>[0]) => {
    const n = ++calls;
    await hooks.before?.(n);
    try {
      return await db.batch(statements);
    } finally {
      hooks.after?.(n);
    }
  }) as unknown as Db["batch"];
  return handle;
}

/**
 * Two submissions of one attempt, both loaded before either writes, the first
 * written first: the second loses the race for the attempt number.
 */
async function race(
  t: TestApp,
  user: Learner,
  first: { submission: QuizSubmission; clock: Clock },
  second: { submission: QuizSubmission; clock: Clock },
) {
  const secondLoaded = Promise.withResolvers<void>();
  const firstWritten = Promise.withResolvers<void>();
  // Each side's write (its second batch) waits for `writeAfter`; `done` marks its n-th batch.
  const run = (
    side: { submission: QuizSubmission; clock: Clock },
    writeAfter: Promise<void>,
    done: (n: number) => unknown,
  ) => {
    const db = gated(t.database.db, {
      before: (n) => n === 2 ? writeAfter : Promise.resolve(),
      after: done,
    });
    return submitQuiz(deps(t, { clock: side.clock, db }), user, side.submission);
  };
  const a = run(first, secondLoaded.promise, (n) => n === 2 && firstWritten.resolve());
  const b = run(second, firstWritten.promise, (n) => n === 1 && secondLoaded.resolve());
  return await Promise.allSettled([a, b]);
}

Deno.test("a submitted final writes the attempt, activity, XP, totals, model, errors, certificate and course activity in one batch", async () => {
  const t = await testApp();
  const user = await learner(t);
  const before = await written(t, user.id);
  t.clock.advance(90_000);
  const given = await answers(t, 1);
  let batches = 0;
  const counting = gated(t.database.db, { after: () => batches++ });
  const issuedAt = new Date(t.clock.now().getTime() - 60_000);
  const result = await submitQuiz(
    deps(t, { db: counting }),
    user,
    submission(t, user.id, given, issuedAt),
  );
  // One batch loads and one writes; only a newly earned achievement is inserted after it.
  assert.ok(result.new_achievements.length > 0);
  assert.equal(batches, 3);
  assert.equal(result.passed, true);
  assert.equal(result.attempt_number, 1);
  assert.equal(result.time_taken_seconds, 60);
  assert.ok(result.xp_earned > 0);
  const wrong = result.results.filter((r) => !r.correct);
  assert.equal(wrong.length, 1);
  assert.equal(wrong[0].type, "translation");
  assert.ok(result.certificate, "a passed final issues a certificate");

  const after = await written(t, user.id);
  const now = t.clock.now().getTime();
  assert.equal(after.attempts, 1);
  assert.equal(after.submitted_at, now);
  assert.equal(after.activities, 1);
  assert.equal(after.logged_xp, result.xp_earned);
  assert.equal(Number(after.xp) - Number(before.xp), result.xp_earned);
  assert.equal(after.daily_actions, 1);
  assert.equal(after.weekly_xp, result.xp_earned);
  assert.equal(after.totals_revision, 1);
  assert.equal(after.totals_actions, 1);
  assert.equal(after.evidence, given.length, "every answer informs the ability model");
  assert.equal(Number(after.item_answers) - Number(before.item_answers), given.length);
  assert.equal(after.errors, 1);
  assert.equal(after.certificates, 1);
  assert.equal(after.certificate_attempt, result.attempt_id);
  assert.equal(after.last_activity, now);
  const [error] = (await t.database.client.execute({
    sql: "SELECT source, question_type, given FROM error_events WHERE user_id = ?",
    args: [user.id],
  })).rows;
  assert.deepEqual({ ...error }, { source: "quiz", question_type: "translation", given: '"zzzz"' });
  await t.close();
});

Deno.test("a refused submission writes nothing", async () => {
  const t = await testApp();
  const user = await learner(t);
  const before = await written(t, user.id);
  const given = await answers(t, 0);

  const noToken = await refusal(
    submitQuiz(deps(t), user, { ...submission(t, user.id, given), attemptToken: undefined }),
  );
  assert.equal(noToken.extra?.reason, "not_started");
  const forged = submission(t, user.id, given);
  forged.attemptToken = forged.attemptToken!.replace(/\.(\d{6,})\./, ".1000000.");
  assert.equal((await refusal(submitQuiz(deps(t), user, forged))).status, 400);
  const badShape = await refusal(
    submitQuiz(deps(t), user, submission(t, user.id, [{ ...given[0], answer: { x: "y" } }])),
  );
  assert.equal(badShape.status, 400);
  const twice = await refusal(
    submitQuiz(deps(t), user, submission(t, user.id, [given[0], given[0]])),
  );
  assert.equal(twice.status, 400);
  const late = submission(t, user.id, given, new Date(t.clock.now().getTime() - 3_600_000));
  assert.equal((await refusal(submitQuiz(deps(t), user, late))).extra?.reason, "deadline_passed");
  assert.deepEqual(await written(t, user.id), before);

  await submitQuiz(deps(t), user, submission(t, user.id, given));
  const recorded = await written(t, user.id);
  const again = await refusal(submitQuiz(deps(t), user, submission(t, user.id, given)));
  assert.equal(again.extra?.reason, "already_submitted");
  assert.deepEqual(await written(t, user.id), recorded);
  await t.close();
});

Deno.test("of a double submit that races, the loser writes nothing: each error event once", async () => {
  const t = await testApp();
  const user = await learner(t);
  const given = await answers(t, 2);
  const token = submission(t, user.id, given);
  const later = new ManualClock(new Date(t.clock.now().getTime() + 5_000));
  const [a, b] = await race(
    t,
    user,
    { submission: token, clock: t.clock },
    { submission: token, clock: later },
  );
  assert.equal(a.status, "fulfilled");
  assert.equal(b.status, "rejected");
  assert.equal((b.reason as ApiError).extra?.reason, "already_submitted");
  const after = await written(t, user.id);
  assert.equal(after.attempts, 1);
  assert.equal(after.activities, 1);
  assert.equal(after.errors, 2, "the winner's two wrong answers, not four");
  assert.equal(after.evidence, given.length, "the model moved once");
  assert.equal(after.last_activity, t.clock.now().getTime(), "the loser's time is not kept");
  await t.close();
});

Deno.test("a losing submit that would have passed issues no certificate", async () => {
  const t = await testApp();
  const user = await learner(t);
  const right = await answers(t, 0);
  const [a, b] = await race(
    t,
    user,
    { submission: submission(t, user.id, []), clock: t.clock },
    { submission: submission(t, user.id, right), clock: t.clock },
  );
  assert.equal(a.status, "fulfilled");
  assert.equal(a.value.passed, false);
  assert.equal(b.status, "rejected");
  const after = await written(t, user.id);
  assert.equal(after.attempts, 1);
  assert.equal(after.certificates, 0);
  await t.close();
});
