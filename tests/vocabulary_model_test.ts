/** The learner's memory model over HTTP: fitting, refits, word memory and forgetting curves. */
import assert from "node:assert/strict";
import { DEFAULT_PARAMETERS, type Grade, replayCard } from "../domain/fsrs_fitting.ts";
import { simulateLearner } from "../domain/fsrs_simulation.ts";
import { modelFitter } from "../actions/model_fitting.ts";
import { signUp, type TestApp, testApp } from "./helpers.ts";

/** Real published word ids of one language, for review logs that point at real words. */
async function wordIds(t: TestApp, n: number): Promise<string[]> {
  const rows = await t.database.client.execute({
    sql: "SELECT id FROM vocabulary WHERE status = 'published' ORDER BY id LIMIT ?",
    args: [n],
  });
  return rows.rows.map((r) => String(r.id));
}

/** Writes a review history straight into `review_logs` (as practice would have). */
async function insertHistory(
  t: TestApp,
  userId: string,
  history: { cardId: string; rating: number; reviewedAt: Date }[],
) {
  for (let i = 0; i < history.length; i += 400) {
    const chunk = history.slice(i, i + 400);
    await t.database.client.execute({
      sql: `INSERT INTO review_logs (user_id, vocabulary_id, rating, state_before, correct,
        response_time_ms, elapsed_days, scheduled_days, reviewed_at) VALUES ${
        chunk.map(() => "(?, ?, ?, 2, ?, 3000, 0, 0, ?)").join(", ")
      }`,
      args: chunk.flatMap((r) => [userId, r.cardId, r.rating, r.rating > 1 ? 1 : 0, +r.reviewedAt]),
    });
  }
}

/** A synthetic learner's history mapped onto real words (the first `words` of them). */
async function syntheticHistory(t: TestApp, reviews: number, seed: number, trueWeights?: number[]) {
  const learner = simulateLearner({ seed, reviews, trueWeights, newPerDay: 8 });
  const cards = [...new Set(learner.history.map((r) => r.cardId))];
  const ids = await wordIds(t, cards.length);
  assert.equal(ids.length, cards.length, "enough seeded words");
  const idOf = new Map(cards.map((c, i) => [c, ids[i]]));
  return learner.history.map((r) => ({ ...r, cardId: idOf.get(r.cardId)! }));
}

Deno.test({
  name: "model endpoints need a session",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp();
    for (
      const [method, path] of [
        ["GET", "/api/vocabulary/model"],
        ["POST", "/api/vocabulary/model/refit"],
        ["GET", "/api/vocabulary/es-hola/memory"],
      ]
    ) {
      const res = await t.call(method, path);
      assert.equal(res.status, 401, path);
      assert.equal(res.body.error.code, "UNAUTHENTICATED");
    }
    await t.close();
  },
});

Deno.test({
  name: "with too few reviews the learner keeps the defaults and is told how many more",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp();
    const { token } = await signUp(t);
    const res = await t.call("GET", "/api/vocabulary/model", { token });
    assert.equal(res.status, 200);
    const m = res.body.data;
    assert.equal(m.personalized, false);
    assert.equal(m.status, "default");
    assert.deepEqual(m.parameters, [...DEFAULT_PARAMETERS]);
    assert.equal(m.reviews_needed, 400);
    assert.equal(m.words_needed, 50);
    assert.match(m.message, /400 more reviews/);
    assert.equal(m.desired_retention, 0.9);
    const refit = await t.call("POST", "/api/vocabulary/model/refit", { token });
    assert.equal(refit.status, 409);
    assert.equal(refit.body.error.reviews_needed, 400);
    assert.match(refit.body.error.message, /400 more reviews/);
    await t.close();
  },
});

Deno.test({
  name: "validation: unknown query fields, a bad horizon, a bad id; unknown words are 404",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp();
    const { token } = await signUp(t);
    for (
      const path of [
        "/api/vocabulary/model?x=1",
        "/api/vocabulary/es-hola/memory?days=0",
        "/api/vocabulary/es-hola/memory?days=366",
        "/api/vocabulary/es%20hola/memory",
      ]
    ) {
      const res = await t.call("GET", path, { token });
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error.code, "VALIDATION_ERROR");
    }
    const missing = await t.call("GET", "/api/vocabulary/no-such-word/memory", { token });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "NOT_FOUND");
    await t.close();
  },
});

Deno.test({
  name: "a refit fits the learner's weights, the scheduler then uses them, refits are rate limited",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp();
    const { token, user } = await signUp(t);
    // A learner who forgets much faster than the defaults assume.
    const truth = [...DEFAULT_PARAMETERS];
    truth[2] = 0.5;
    truth[8] = 1.2;
    truth[20] = 0.4;
    const history = await syntheticHistory(t, 3000, 11, truth);
    await insertHistory(t, user.id, history);
    t.clock.set(new Date(+history.at(-1)!.reviewedAt + 86_400_000));

    const refit = await t.call("POST", "/api/vocabulary/model/refit", { token });
    assert.equal(refit.status, 202);
    assert.equal(refit.body.data.status, "queued");
    assert.equal(refit.body.data.review_count, 3000);
    // The fit runs in the background and yields: other requests are answered meanwhile.
    const fitter = modelFitter(t.database.db, t.clock);
    let servedDuringFit = 0;
    for (let i = 0; i < 5000 && fitter.isQueued(user.id); i++) {
      const res = await t.call("GET", "/api/vocabulary/model", { token });
      assert.equal(res.status, 200);
      if (res.body.data.fit_pending) servedDuringFit++;
      // The next request arrives on a later event-loop turn, as a real one would.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.ok(servedDuringFit >= 2, `served ${servedDuringFit} requests while fitting`);
    await fitter.idle();

    const model = (await t.call("GET", "/api/vocabulary/model", { token })).body.data;
    assert.equal(model.status, "fitted");
    assert.equal(model.personalized, true);
    assert.equal(model.review_count, 3000);
    assert.equal(model.fitted_on_reviews, 3000);
    assert.equal(model.next_fit_at_reviews, 3500);
    assert.equal(model.fitted_at, t.clock.now().toISOString());
    assert.ok(model.log_loss.fitted < model.log_loss.default, JSON.stringify(model.log_loss));
    assert.ok(model.log_loss.recent_reviews_compared > 50);
    assert.notDeepEqual(model.parameters, [...DEFAULT_PARAMETERS]);
    assert.match(model.message, /predicts your recall \d+% better than the default/);

    // The word's memory is replayed under the fitted weights.
    const word = history.at(-1)!.cardId;
    const memory = await t.call("GET", `/api/vocabulary/${word}/memory?days=30`, { token });
    assert.equal(memory.status, 200);
    const m = memory.body.data;
    assert.equal(m.personalized, true);
    const own = history.filter((r) => r.cardId === word);
    assert.equal(m.history.length, own.length);
    const replay = replayCard(
      model.parameters,
      m.history.map((h: { rating: string; elapsed_days: number }) => ({
        rating: (["again", "hard", "good", "easy"].indexOf(h.rating) + 1) as Grade,
        elapsedDays: h.elapsed_days,
      })),
    );
    assert.equal(m.history.at(-1).stability_days, Math.round(replay.at(-1)!.stability * 100) / 100);
    assert.equal(m.forecast.length, 31);
    for (let i = 1; i < m.forecast.length; i++) {
      assert.ok(m.forecast[i].recall <= m.forecast[i - 1].recall);
    }

    // Practice now schedules with the learner's weights: the first review of a new word
    // gets the fitted initial stability for its rating.
    const fresh = (await wordIds(t, 5000)).find((id) => !history.some((r) => r.cardId === id))!;
    const before = await t.call("GET", `/api/vocabulary/${fresh}/memory`, { token });
    assert.deepEqual(before.body.data.history, []);
    assert.deepEqual(before.body.data.forecast, []);
    const word2 = await t.database.client.execute({
      sql: "SELECT translation FROM vocabulary WHERE id = ?",
      args: [fresh],
    });
    const answer = JSON.parse(String(word2.rows[0].translation)).en;
    const practice = await t.call("POST", `/api/vocabulary/${fresh}/practice`, {
      token,
      body: { user_answer: answer, response_time: 2000, difficulty: "good" },
    });
    assert.equal(practice.status, 200);
    assert.equal(
      practice.body.data.card.stability_days,
      Math.round(model.parameters[2] * 100) / 100,
    );

    // The overall forgetting curve uses the learner's weights and falls with time.
    const stats = (await t.call("GET", "/api/vocabulary/stats", { token })).body.data;
    assert.equal(stats.personal_model, true);
    assert.equal(stats.forgetting_curve[0].days, 1);
    for (let i = 1; i < stats.forgetting_curve.length; i++) {
      assert.ok(stats.forgetting_curve[i].recall <= stats.forgetting_curve[i - 1].recall);
    }

    // Three refits a day; the fourth is refused.
    assert.equal((await t.call("POST", "/api/vocabulary/model/refit", { token })).status, 202);
    assert.equal((await t.call("POST", "/api/vocabulary/model/refit", { token })).status, 202);
    const limited = await t.call("POST", "/api/vocabulary/model/refit", { token });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, "RATE_LIMITED");
    await modelFitter(t.database.db, t.clock).idle();
    await t.close();
  },
});

Deno.test({
  name: "enough evidence starts a fit in the background after an answer",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp();
    const { token, user } = await signUp(t);
    const history = await syntheticHistory(t, 700, 21);
    await insertHistory(t, user.id, history);
    const model = async () => (await t.call("GET", "/api/vocabulary/model", { token })).body.data;
    assert.equal((await model()).status, "default");
    const practice = await t.call("POST", "/api/vocabulary/es-hola/practice", {
      token,
      body: { user_answer: "hello", response_time: 2000 },
    });
    assert.equal(practice.status, 200);
    // The answer itself did not fit anything.
    assert.equal((await model()).fitted_at, null);
    await modelFitter(t.database.db, t.clock).idle();
    const after = await model();
    assert.ok(after.status === "fitted" || after.status === "not_better", after.status);
    assert.equal(after.fitted_on_reviews, 701);
    assert.equal(after.next_fit_at_reviews, 1201);
    await t.close();
  },
});

Deno.test({
  name: "a fit that cannot be made is discarded and the defaults kept",
  sanitizeResources: false,
  fn: async () => {
    const t = await testApp();
    const { token, user } = await signUp(t);
    // 450 reviews over 90 words, all on one day: nothing to score a fit on.
    const ids = await wordIds(t, 90);
    const day = Date.UTC(2026, 0, 2, 8);
    await insertHistory(
      t,
      user.id,
      Array.from({ length: 450 }, (_, i) => ({
        cardId: ids[i % 90],
        rating: 3,
        reviewedAt: new Date(day + i * 30_000),
      })),
    );
    const warn = console.warn;
    const logged: string[] = [];
    console.warn = (line: string) => logged.push(line);
    try {
      assert.equal((await t.call("POST", "/api/vocabulary/model/refit", { token })).status, 202);
      await modelFitter(t.database.db, t.clock).idle();
    } finally {
      console.warn = warn;
    }
    assert.ok(logged.some((l) => JSON.parse(l).event === "fsrs_fit_discarded"), logged.join());
    const model = (await t.call("GET", "/api/vocabulary/model", { token })).body.data;
    assert.equal(model.status, "failed");
    assert.equal(model.personalized, false);
    assert.deepEqual(model.parameters, [...DEFAULT_PARAMETERS]);
    assert.match(model.message, /did not work out/);

    // Stored weights outside FSRS's bounds are never used, even if marked active.
    await t.database.client.execute({
      sql: "UPDATE fsrs_models SET active = 1, parameters = ? WHERE user_id = ?",
      args: [JSON.stringify([...DEFAULT_PARAMETERS.slice(0, 20), 5]), user.id],
    });
    const again = (await t.call("GET", "/api/vocabulary/model", { token })).body.data;
    assert.equal(again.personalized, false);
    assert.deepEqual(again.parameters, [...DEFAULT_PARAMETERS]);
    await t.close();
  },
});
