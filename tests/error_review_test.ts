import assert from "node:assert/strict";
import { ERROR_WINDOW_DAYS, errorReview } from "../actions/error_review.ts";
import { practiseWord } from "../actions/practise_word.ts";
import { actionTest, withRoundTrips } from "./action_harness.ts";
import { learnerDeps } from "./helpers.ts";

const wrong = (vocabularyId: string) => ({
  vocabularyId,
  userAnswer: "zzzz",
  direction: "to_native" as const,
  responseTimeMs: 2000,
});

actionTest(
  "errorReview: the learner's mistakes, labelled, with links to practise them, in one round trip",
  async (t, { deps, user }) => {
    await practiseWord(deps, user, wrong("es-agua"));
    await practiseWord(deps, user, wrong("es-agua"));
    await practiseWord(deps, user, wrong("es-casa"));
    const { result, roundTrips } = await withRoundTrips(() => errorReview(deps, user));
    assert.equal(roundTrips, 1);
    assert.equal(result.total_errors, 3);
    assert.ok(result.patterns.length > 0);
    for (const p of result.patterns) assert.equal(typeof p.label, "string");
    const words = result.practice_set.vocabulary;
    assert.deepEqual(words.map((v) => v.id).sort(), ["es-agua", "es-casa"]);
    for (const v of words) assert.equal(v.practice_url, `/api/vocabulary/${v.id}/practice`);

    // Labels follow the learner's language.
    const es = await learnerDeps(t, user.id, "es");
    const spanish = await errorReview(es.deps, es.user);
    assert.notDeepEqual(spanish.patterns.map((p) => p.label), result.patterns.map((p) => p.label));
  },
);

actionTest(
  "errorReview: mistakes older than the window no longer count",
  async (t, { deps, user }) => {
    await practiseWord(deps, user, wrong("es-agua"));
    t.clock.advance((ERROR_WINDOW_DAYS + 1) * 86_400_000);
    const result = await errorReview(deps, user);
    assert.equal(result.total_errors, 0);
    assert.deepEqual(result.patterns, []);
    assert.deepEqual(result.practice_set, { vocabulary: [], grammar_topics: [] });
  },
);
