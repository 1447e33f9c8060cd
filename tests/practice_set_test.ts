import assert from "node:assert/strict";
import { PER_TOPIC, practiceSet } from "../actions/practice_set.ts";
import { practiseWord } from "../actions/practise_word.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest, withRoundTrips } from "./action_harness.ts";

actionTest(
  "practiceSet: half exercises, half new words, at most two per topic, easiest first",
  async (_t, { deps, user }) => {
    await practiseWord(deps, user, {
      vocabularyId: "es-agua",
      userAnswer: "water",
      direction: "to_native",
      responseTimeMs: 2000,
    });
    const { result, roundTrips } = await withRoundTrips(() =>
      practiceSet(deps, user, { language: "es", size: 9 })
    );
    assert.equal(roundTrips, 2); // the language lookup, then the pool
    const { items, meta } = result;
    assert.equal(items.length, 9);
    assert.equal(meta.total, 9);
    assert.equal(meta.language_id, "es");
    assert.equal(items.filter((i) => i.kind === "grammar_exercise").length, 5);
    assert.equal(items.filter((i) => i.kind === "vocabulary").length, 4);
    assert.ok(!items.some((i) => i.item_id === "es-agua"), "a started word is not new");
    const perTopic = new Map<string, number>();
    for (const i of items) {
      if (i.kind !== "grammar_exercise") continue;
      perTopic.set(i.answer_with, (perTopic.get(i.answer_with) ?? 0) + 1);
    }
    assert.ok([...perTopic.values()].every((n) => n <= PER_TOPIC));
    const predicted = items.map((i) => i.predicted_success);
    assert.deepEqual(predicted, [...predicted].sort((a, b) => b - a));
    assert.equal(
      meta.expected_success,
      Math.round(predicted.reduce((s, p) => s + p, 0) / predicted.length * 1000) / 1000,
    );
    assert.equal(meta.abilities.vocabulary.evidence, 1);
  },
);

actionTest(
  "practiceSet: an unknown language, or none at all, is not found",
  async (_t, { deps, user }) => {
    const isNotFound = (e: unknown) => e instanceof ApiError && e.code === "NOT_FOUND";
    await assert.rejects(practiceSet(deps, user, { language: "zz", size: 5 }), isNotFound);
    // No course and no target language: nothing says what to practise.
    await assert.rejects(practiceSet(deps, user, { size: 5 }), isNotFound);
  },
);
