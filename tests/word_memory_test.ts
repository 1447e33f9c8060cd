import assert from "node:assert/strict";
import { practiseWord } from "../actions/practise_word.ts";
import { wordMemory } from "../actions/word_memory.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest } from "./action_harness.ts";

const DAY = 86_400_000;

actionTest(
  "wordMemory: each review replayed, then recall day by day from today",
  async (t, { deps, user }) => {
    const before = await wordMemory(deps, user, { vocabularyId: "es-hola", days: 10 });
    assert.deepEqual([before.word, before.history, before.forecast], ["hola", [], []]);
    for (const answer of ["hello", "nope", "hello"]) {
      await practiseWord(deps, user, {
        vocabularyId: "es-hola",
        userAnswer: answer,
        direction: "to_native",
        responseTimeMs: 2000,
      });
      t.clock.advance(3 * DAY);
    }
    const memory = await wordMemory(deps, user, { vocabularyId: "es-hola", days: 10 });
    assert.equal(memory.personalized, false);
    assert.deepEqual(memory.history.map((h) => [h.rating, h.elapsed_days]), [
      ["good", 0],
      ["again", 3],
      ["good", 3],
    ]);
    assert.equal(memory.forecast.length, 11);
    assert.ok(memory.forecast[0].recall > memory.forecast[10].recall);
  },
);

actionTest("wordMemory: an unknown word is a 404", async (_t, { deps, user }) => {
  await assert.rejects(
    () => wordMemory(deps, user, { vocabularyId: "no-such-word", days: 10 }),
    (e: unknown) => e instanceof ApiError && e.status === 404,
  );
});
