import assert from "node:assert/strict";
import { learningAnalytics } from "../actions/learning_analytics.ts";
import { practiseWord } from "../actions/practise_word.ts";
import { addDays, localDate } from "../domain/calendar.ts";
import { actionTest, withRoundTrips } from "./action_harness.ts";

const DAY = 86_400_000;

actionTest(
  "learningAnalytics: a period's days, totals, words and 7-day forecast, in one round trip",
  async (t, { deps, user }) => {
    const practised = await practiseWord(deps, user, {
      vocabularyId: "es-agua",
      userAnswer: "water",
      direction: "to_native",
      responseTimeMs: 90_000,
    });
    const today = localDate(t.clock.now(), user.timezone);
    const { result: a, roundTrips } = await withRoundTrips(() =>
      learningAnalytics(deps, user, { period: "7" })
    );
    assert.equal(roundTrips, 1);
    assert.equal(a.from, addDays(today, -6));
    assert.equal(a.to, today);
    assert.equal(a.per_day.length, 7);
    assert.deepEqual(a.per_day.at(-1), {
      date: today,
      minutes: 1.5,
      xp: practised.xp_earned,
      actions: 1,
    });
    assert.equal(a.totals.active_days, 1);
    assert.equal(a.words.studied, 1);
    assert.deepEqual(
      a.review_forecast.map((f) => f.date),
      [0, 1, 2, 3, 4, 5, 6].map((i) => addDays(today, i)),
    );
    const due = a.review_forecast.findIndex((f) => f.due === 1);
    assert.equal(
      due,
      Math.floor((Date.parse(practised.next_review) - t.clock.now().getTime()) / DAY),
    );
    assert.equal(a.review_forecast.reduce((n, f) => n + f.due, 0), 1);
  },
);

actionTest(
  "learningAnalytics: `all` starts on the first active day (one more round trip); a learner with none starts today",
  async (t, { deps, user }) => {
    const today = localDate(t.clock.now(), user.timezone);
    const none = await learningAnalytics(deps, user, { period: "all" });
    assert.equal(none.from, today);
    assert.equal(none.per_day.length, 1);

    await practiseWord(deps, user, {
      vocabularyId: "es-agua",
      userAnswer: "water",
      direction: "to_native",
      responseTimeMs: 2000,
    });
    t.clock.advance(20 * DAY);
    const later = localDate(t.clock.now(), user.timezone);
    const { result: all, roundTrips } = await withRoundTrips(() =>
      learningAnalytics(deps, user, { period: "all" })
    );
    assert.equal(roundTrips, 2);
    assert.equal(all.from, today);
    assert.equal(all.to, later);
    assert.equal(all.per_day.length, 21);
    assert.equal(all.totals.actions, 1);
    // The last 7 days hold nothing of it.
    assert.equal((await learningAnalytics(deps, user, { period: "7" })).totals.actions, 0);
  },
);
