import assert from "node:assert/strict";
import { ERROR_KIND_NAMES, type ErrorEventInput, errorPatterns } from "../domain/error_patterns.ts";

function event(over: Partial<ErrorEventInput>, day: number): ErrorEventInput {
  return {
    source: "practice",
    questionType: "translation_to_target",
    errorKind: "wrong",
    vocabularyId: null,
    grammarTopic: null,
    given: "x",
    expected: "y",
    occurredAt: new Date(Date.UTC(2026, 0, day)),
    ...over,
  };
}

Deno.test("errors group by kind and topic (or question type), most frequent first", () => {
  const events = [
    event({ errorKind: "accent", vocabularyId: "es-cafe" }, 1),
    event({ errorKind: "accent", vocabularyId: "es-cafe" }, 2),
    event({ errorKind: "accent", vocabularyId: "es-arbol" }, 3),
    event({ errorKind: "gender_article", grammarTopic: "es-articles", source: "exercise" }, 4),
    event({ errorKind: "gender_article", grammarTopic: "es-articles", source: "quiz" }, 5),
    event({ errorKind: "wrong" }, 6),
  ];
  const { patterns, practice_set } = errorPatterns(events);
  assert.deepEqual(
    patterns.map((p) => [p.error_kind, p.grammar_topic, p.question_type, p.count]),
    [
      ["accent", null, "translation_to_target", 3],
      ["gender_article", "es-articles", null, 2],
      ["wrong", null, "translation_to_target", 1],
    ],
  );
  assert.deepEqual(patterns[0].vocabulary_ids, ["es-cafe", "es-arbol"], "most missed first");
  assert.equal(patterns[0].last_seen, "2026-01-03T00:00:00.000Z");
  assert.deepEqual(practice_set.vocabulary, [
    { id: "es-cafe", errors: 2 },
    { id: "es-arbol", errors: 1 },
  ]);
  assert.deepEqual(practice_set.grammar_topics, [{ id: "es-articles", errors: 2 }]);
});

Deno.test("patterns are capped, and every kind has a name", () => {
  const many = Array.from(
    { length: 15 },
    (_, i) => event({ errorKind: "wrong", questionType: `type-${i}` }, i + 1),
  );
  assert.equal(errorPatterns(many, 10).patterns.length, 10);
  assert.equal(errorPatterns([]).patterns.length, 0);
  for (const kind of ["accent", "spelling", "word_order", "gender_article", "wrong"]) {
    assert.ok(ERROR_KIND_NAMES[kind]?.en, kind);
  }
});
