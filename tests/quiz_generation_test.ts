import assert from "node:assert/strict";
import { readContentFile } from "../db/content_files.ts";
import { vocabularyIds } from "../db/content_store.ts";
import { generateQuizzes } from "../domain/quiz_generation.ts";

const content = await readContentFile(new URL("../content/es.json", import.meta.url));

Deno.test("every course gets a vocabulary quiz, a grammar quiz and a final assessment", () => {
  const quizzes = generateQuizzes(content, vocabularyIds(content));
  assert.equal(quizzes.length, content.courses.length * 3);
  for (const course of content.courses) {
    const mine = quizzes.filter((q) => q.courseId === course.slug);
    assert.deepEqual(mine.map((q) => q.kind), ["vocabulary", "grammar", "final"]);
    for (const quiz of mine) {
      assert.ok(quiz.questions.length >= 5, `${quiz.id} has ${quiz.questions.length} questions`);
      assert.equal(new Set(quiz.questions.map((q) => q.id)).size, quiz.questions.length);
      assert.ok(quiz.passPercentage > 0 && quiz.passPercentage <= 100);
      assert.ok(quiz.questions.every((q) => q.points > 0));
    }
    const types = new Set(mine.flatMap((q) => q.questions.map((x) => x.type)));
    assert.ok(types.size >= 3, `${course.slug} mixes question types: ${[...types]}`);
  }
});

Deno.test("generation is deterministic: the same content gives the same quizzes", () => {
  assert.deepEqual(
    generateQuizzes(content, vocabularyIds(content)),
    generateQuizzes(content, vocabularyIds(content)),
  );
});
