import assert from "node:assert/strict";
import fc from "fast-check";
import { totalsFromDays, withoutAction } from "../domain/learner_totals.ts";
import { localDate } from "../domain/calendar.ts";
import { streakAsOf } from "../domain/streaks.ts";
import { signUp, testApp } from "./helpers.ts";
import { assertTotalsAgree } from "./totals_check.ts";

Deno.test("totalsFromDays() ignores emptied days and counts goal days", () => {
  const days = [
    { day: "2026-01-01", actions: 2, xp: 30 },
    { day: "2026-01-02", actions: 1, xp: 5 },
    { day: "2026-01-03", actions: 1, xp: 12 },
  ];
  const all = totalsFromDays(days, 10);
  assert.equal(all.streak.current, 3);
  assert.equal(all.xpLastDay, 12);
  assert.equal(all.goalDays, 2);
  const undone = totalsFromDays(withoutAction(days, "2026-01-03", 12), 10);
  assert.equal(undone.streak.lastActiveDay, "2026-01-02", "the emptied day is no longer active");
  assert.equal(undone.xpLastDay, 5);
  assert.equal(undone.goalDays, 1);
});

const WORDS = [
  ["es-hola", "hello"],
  ["es-buenos-dias", "good morning"],
  ["es-buenas-noches", "good night"],
];

const Action = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant("practice" as const),
      word: fc.nat(WORDS.length - 1),
      right: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant("undo" as const), word: fc.nat(WORDS.length - 1) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("lesson" as const),
      score: fc.integer({ min: 0, max: 100 }),
    }),
  },
  // A run of daily practice, long enough to earn freezes.
  {
    weight: 1,
    arbitrary: fc.record({
      type: fc.constant("daily" as const),
      days: fc.integer({ min: 2, max: 9 }),
    }),
  },
  // Time passes: within the day, mostly to the next day (streaks long enough to earn
  // freezes), or over one to four missed days.
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant("wait" as const),
      hours: fc.constantFrom(3, 20, 24, 24, 24, 24, 48, 72, 96, 120),
    }),
  },
);
/** A low goal, so that days cross it often. */
const GOAL_XP = 15;

Deno.test({
  name: "running totals agree with the activity log and rollups after any actions and undos",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp({ SESSION_IDLE_MINUTES: 60 * 24 * 90, SESSION_ABSOLUTE_DAYS: 365 });
    const words = await t.database.client.execute(
      `SELECT id FROM vocabulary WHERE id IN (${WORDS.map((w) => `'${w[0]}'`).join(",")})`,
    );
    assert.equal(words.rows.length, WORDS.length, "the test's words exist");
    const start = Date.parse("2026-01-05T09:00:00Z");
    await fc.assert(
      fc.asyncProperty(
        fc.array(Action, { minLength: 1, maxLength: 60 }),
        fc.constantFrom("UTC", "Asia/Tokyo", "America/Los_Angeles"),
        async (actions, timezone) => {
          // Each run is a new learner, so runs may reuse the same days.
          let now = start;
          t.clock.set(new Date(now).toISOString());
          const { token, user } = await signUp(t, { timezone });
          await t.call("POST", "/api/courses/es-a1/enroll", { token });
          await t.database.client.execute({
            sql:
              "UPDATE users SET preferences = json_set(preferences, '$.daily_goal_xp', ?) WHERE id = ?",
            args: [GOAL_XP, user.id],
          });
          for (const a of actions) {
            if (a.type === "wait") {
              now += a.hours * 3_600_000;
              t.clock.set(new Date(now).toISOString());
              continue;
            }
            if (a.type === "daily") {
              for (let d = 0; d < a.days; d++) {
                now += 24 * 3_600_000;
                t.clock.set(new Date(now).toISOString());
                const res = await t.call("POST", "/api/vocabulary/es-hola/practice", {
                  token,
                  body: { user_answer: "hello", response_time: 1500 },
                });
                assert.equal(res.status, 200);
              }
              continue;
            }
            now += 60_000;
            t.clock.set(new Date(now).toISOString());
            const [id, answer] = WORDS[a.type === "lesson" ? 0 : a.word];
            const res = a.type === "practice"
              ? await t.call("POST", `/api/vocabulary/${id}/practice`, {
                token,
                body: { user_answer: a.right ? answer : "nope", response_time: 1500 },
              })
              : a.type === "undo"
              ? await t.call("POST", `/api/vocabulary/${id}/practice/undo`, { token })
              : await t.call("POST", "/api/lessons/es-a1-01-greetings/complete", {
                token,
                body: { score: a.score },
              });
            assert.ok(
              res.status === 200 || (a.type === "undo" && res.status === 404),
              JSON.stringify(res.body),
            );
          }
          await assertTotalsAgree(t, user.id, GOAL_XP);
          // What the API shows is what the totals say.
          const progress = await t.call("GET", "/api/progress", { token });
          const log = await t.database.client.execute({
            sql: "SELECT local_date AS day, count(*) AS actions, sum(xp) AS xp FROM activity_log " +
              "WHERE user_id = ? GROUP BY local_date",
            args: [user.id],
          });
          const derived = totalsFromDays(
            log.rows.map((d) => ({
              day: String(d.day),
              actions: Number(d.actions),
              xp: Number(d.xp),
            })),
            GOAL_XP,
          );
          const today = localDate(new Date(now), timezone);
          const { at_risk: _, seconds_left_today: __, timezone: ___, ...shown } =
            progress.body.data.streak;
          assert.deepEqual(shown, streakAsOf(derived.streak, today));
        },
      ),
      { numRuns: 15 },
    );
    await t.close();
  },
});
