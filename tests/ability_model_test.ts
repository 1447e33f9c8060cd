import assert from "node:assert/strict";
import {
  abilitiesReport,
  exercisePrior,
  initialDifficulty,
  pooledAbility,
  wordPrior,
} from "../domain/ability_model.ts";

Deno.test("pooledAbility() weights each skill's theta by its evidence", () => {
  assert.deepEqual(
    pooledAbility({ theta: 1, evidence: 30 }, { theta: -1, evidence: 10 }),
    { theta: 0.5, evidence: 40 },
  );
  // A skill never answered does not drag the other toward 0.
  assert.deepEqual(pooledAbility({ theta: 2, evidence: 5 }, { theta: 0, evidence: 0 }), {
    theta: 2,
    evidence: 5,
  });
  assert.deepEqual(pooledAbility({ theta: 0, evidence: 0 }, { theta: 0, evidence: 0 }), {
    theta: 0,
    evidence: 0,
  });
});

Deno.test("wordPrior() and exercisePrior() measure length in characters, not UTF-16 units", () => {
  const word = { level: "A1", frequencyRank: 1000, word: "𠮷野家" }; // 3 characters, 4 units
  assert.equal(wordPrior(word), initialDifficulty({ level: "A1", frequencyRank: 1000, length: 3 }));
  assert.equal(
    exercisePrior("B1", { type: "fill_blank", answer: "hablamos" }),
    initialDifficulty({ level: "B1", type: "fill_blank", length: 8 }),
  );
  assert.ok(
    exercisePrior("A1", { type: "true_false", answer: "x" }) <
      exercisePrior("A1", { type: "translation", answer: "x" }),
  );
});

Deno.test("abilitiesReport() rounds theta to thousandths and keeps the evidence", () => {
  assert.deepEqual(
    abilitiesReport({ theta: 0.123456, evidence: 12 }, { theta: -1.0005, evidence: 0 }),
    {
      vocabulary: { theta: 0.123, evidence: 12 },
      grammar: { theta: -1, evidence: 0 },
    },
  );
});
