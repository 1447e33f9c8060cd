import assert from "node:assert/strict";
import {
  attemptQuestionOrder,
  localizeDeep,
  optionCount,
  questionSkill,
  quizSkill,
  resolveKey,
  servedType,
} from "../domain/quiz_questions.ts";

Deno.test("a localized answer key resolves to the learner's language, falling back to English", () => {
  const matching = {
    type: "matching_localized" as const,
    pairs: { perro: { en: "dog", es: "perro (animal)" }, gato: { en: "cat" } },
  };
  assert.deepEqual(resolveKey(matching, "en"), {
    type: "matching",
    pairs: { perro: "dog", gato: "cat" },
  });
  assert.deepEqual(resolveKey(matching, "es"), {
    type: "matching",
    pairs: { perro: "perro (animal)", gato: "cat" },
  });
  const choice = {
    type: "multiple_choice_localized" as const,
    correct: [{ en: "house", es: "vivienda" }, { en: "home" }],
  };
  assert.deepEqual(resolveKey(choice, "es"), {
    type: "multiple_choice",
    correct: ["vivienda", "home"],
  });
  const plain = { type: "true_false" as const, value: true };
  assert.equal(resolveKey(plain, "es"), plain, "a plain key is used as stored");
});

Deno.test("a prompt is localized at any depth and nothing else in it changes", () => {
  const prompt = {
    text: { en: "Choose", es: "Elige" },
    options: ["casa", { en: "house", es: "casa" }],
    nested: { hint: { en: "A hint" }, count: 3, flag: false, none: null },
    // An object with a non-string `en` is not a localized text.
    odd: { en: 5, es: "x" },
  };
  assert.deepEqual(localizeDeep(prompt, "es"), {
    text: "Elige",
    options: ["casa", "casa"],
    nested: { hint: "A hint", count: 3, flag: false, none: null },
    odd: { en: 5, es: "x" },
  });
  assert.equal(localizeDeep("plain", "es"), "plain");
});

Deno.test("an attempt shuffles a prompt's options, words or matching targets", () => {
  assert.equal(optionCount({ options: ["a", "b", "c"] }), 3);
  assert.equal(optionCount({ words: ["yo", "soy"] }), 2);
  assert.equal(optionCount({ left: ["a", "b"], right: ["1", "2", "3", "4"] }), 4);
  assert.equal(optionCount({ text: "Translate" }), 0);
  const questions = [
    { id: "q1", prompt: { options: ["a", "b", "c", "d"] } },
    { id: "q2", prompt: { text: "free text" } },
    { id: "q3", prompt: { words: ["x", "y", "z"] } },
  ];
  const attempt = { userId: "u1", quizId: "quiz", attemptNumber: 1 };
  const order = attemptQuestionOrder(attempt, questions);
  assert.deepEqual([...order.questions].sort(), ["q1", "q2", "q3"]);
  assert.deepEqual(Object.keys(order.options).sort(), ["q1", "q3"]);
  assert.deepEqual([...order.options.q1].sort(), [0, 1, 2, 3]);
  assert.deepEqual(attemptQuestionOrder(attempt, questions), order, "a reload sees the same order");
});

Deno.test("a listening question without a recording is asked as a translation", () => {
  assert.equal(servedType({ type: "listening", audioId: null }), "translation");
  assert.equal(servedType({ type: "listening", audioId: "a1" }), "listening");
  assert.equal(servedType({ type: "matching", audioId: null }), "matching");
});

Deno.test("answers move the ability their question is tagged with; quizzes log under their kind", () => {
  assert.equal(questionSkill({ grammar_topic: "ser", vocabulary_id: "w1" }), "grammar");
  assert.equal(questionSkill({ vocabulary_id: "w1" }), "vocabulary");
  assert.equal(questionSkill({}), "reading");
  assert.equal(quizSkill("grammar"), "grammar");
  assert.equal(quizSkill("vocabulary"), "vocabulary");
  assert.equal(quizSkill("final"), "reading");
});
