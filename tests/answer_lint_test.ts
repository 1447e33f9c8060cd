import assert from "node:assert/strict";
import { readAllContent } from "../db/content_files.ts";
import { readTranslationFiles } from "../db/practice_content_files.ts";
import {
  answerTypos,
  contentAnswerProblems,
  translationAnswerProblems,
} from "../domain/answer_lint.ts";

Deno.test("a pronoun glued to its verb is flagged, in each language", () => {
  assert.equal(answerTypos("Iam an office worker.", "en").length, 1);
  assert.equal(answerTypos("Ichbin müde.", "de").length, 1);
  assert.equal(answerTypos("Jesuis fatigué.", "fr").length, 1);
  assert.equal(answerTypos("Jai un chat.", "fr").length, 1);
  assert.equal(answerTypos("Iosono stanco.", "it").length, 1);
  // Real words that start like a pronoun are not.
  assert.deepEqual(answerTypos("I am an office worker.", "en"), []);
  assert.deepEqual(answerTypos("It is an island, ideal in summer.", "en"), []);
  assert.deepEqual(answerTypos("¿Ustedes tienen hijos?", "es"), []);
  assert.deepEqual(answerTypos("Sieben Tage.", "de"), []);
});

Deno.test("a doubled word is flagged unless the language allows it", () => {
  assert.equal(answerTypos("I have have a dog.", "en").length, 1);
  assert.equal(answerTypos("Ich habe habe einen Hund.", "de").length, 1);
  assert.deepEqual(answerTypos("Nous nous levons tôt.", "fr"), []);
});

Deno.test("the shipped content has no typo-like accepted answers", async () => {
  for (const c of await readAllContent()) assert.deepEqual(contentAnswerProblems(c), []);
  for (const t of await readTranslationFiles()) assert.deepEqual(translationAnswerProblems(t), []);
  const withTypo = (await readTranslationFiles()).find((t) => t.language === "ja")!;
  const office = withTypo.exercises.find((e) => e.id === "ja-t-028")!;
  if (office.direction !== "from_target") throw new Error("ja-t-028 translates from Japanese");
  office.accepted.en.push("Iam an office worker.");
  assert.equal(translationAnswerProblems(withTypo).length, 1);
});
