import assert from "node:assert/strict";
import { readAllContent } from "../db/content_files.ts";
import { readTranslationFiles } from "../db/practice_content_files.ts";
import { GrammarExercise, levelConflicts } from "../domain/content_schema.ts";
import { matchAnswer } from "../domain/answer_matching.ts";
import {
  answerSetProblems,
  answerText,
  exerciseErrorKind,
  exerciseFeedback,
  gradeExercise,
  gradeExerciseSet,
} from "../domain/exercise_checking.ts";
import { checkTranslation } from "../domain/translation_checking.ts";

const contents = await readAllContent();
const translations = await readTranslationFiles();

function exercise(language: string, id: string) {
  const file = contents.find((c) => c.language.code === language)!;
  const found = file.grammar.flatMap((g) => g.exercises).find((e) => e.id === id);
  assert.ok(found, `${language} ${id}`);
  return { ...found, accepted: found.accepted ?? [] };
}

Deno.test("reorder exercises accept every grammatical order a teacher would", () => {
  const right: [string, string, string][] = [
    ["de", "heute-lerne", "Ich lerne heute Deutsch."],
    ["de", "heute-lerne", "Heute lerne ich Deutsch."],
    ["de", "muss-arbeiten", "Heute muss ich arbeiten."],
    ["de", "fussball-gespielt", "Gestern habe ich Fußball gespielt."],
    ["de", "kauft-apfel", "Einen Apfel kauft er."],
    ["es", "ayer-comimos", "Comimos en un restaurante ayer."],
    ["es", "hermano-vive", "En Madrid vive mi hermano."],
    ["it", "reorder-lavora", "A Roma lavora mio fratello."],
    ["pt", "ro-farmacia", "Nesta rua fica a farmácia."],
  ];
  for (const [language, id, answer] of right) {
    const tiles = answer.split(" ");
    const result = gradeExercise(exercise(language, id), tiles);
    assert.equal(result.correct, true, `${language} ${id}: ${answer}`);
    assert.equal(result.error, null);
  }
  // Orders that are not German are still named as word-order mistakes.
  const wrong = gradeExercise(exercise("de", "heute-lerne"), "Heute ich lerne Deutsch.");
  assert.equal(wrong.correct, false);
  assert.equal(wrong.error, "word_order");
  const verbLast = gradeExercise(exercise("de", "muss-arbeiten"), "Ich muss arbeiten heute.");
  assert.equal(verbLast.error, "word_order");
});

Deno.test("an accepted reorder answer must be an order of the exercise's tiles", () => {
  const base = {
    id: "x",
    type: "reorder",
    instruction: { en: "Order" },
    explanation: { en: "Why" },
    words: ["Ich", "lerne", "heute", "Deutsch."],
    translation: { en: "I'm learning German today." },
    answer: "Ich lerne heute Deutsch.",
  };
  assert.ok(GrammarExercise.safeParse({ ...base, accepted: ["Heute lerne ich Deutsch."] }).success);
  const extraWord = GrammarExercise.safeParse({
    ...base,
    accepted: ["Heute lerne ich nur Deutsch."],
  });
  assert.equal(extraWord.success, false);
  assert.match(JSON.stringify(extraWord.error?.issues), /not an order of the words/);
});

Deno.test("Japanese answers mixing kanji and kana spellings are correct, a wrong kanji is not", () => {
  const ja = translations.find((t) => t.language === "ja")!;
  const coffee = ja.exercises.find((e) => e.id === "ja-t-010")!;
  assert.equal(coffee.direction, "to_target");
  const accepted = coffee.accepted as string[];
  for (const mixed of ["私は毎日コーヒーをのみます", "わたしは毎日コーヒーを飲みます。"]) {
    const r = checkTranslation(mixed, accepted, "ja");
    assert.equal(r.correct, true, mixed);
    assert.equal(r.score, 100, mixed);
  }
  assert.equal(checkTranslation("箸は毎日コーヒーをのみます", accepted, "ja").correct, false);
  // Quiz and grammar answers go through the same matcher.
  assert.equal(matchAnswer("私はまいにちコーヒーをのむ", accepted).verdict, "exact");
});

Deno.test("the reviewed content errors are fixed", () => {
  const ja = translations.find((t) => t.language === "ja")!;
  const office = ja.exercises.find((e) => e.id === "ja-t-028")!;
  assert.equal(office.direction, "from_target");
  const english = (office.accepted as { en: string[] }).en;
  assert.ok(english.includes("I am an office worker."));
  assert.ok(!english.some((a) => a.startsWith("Iam")));
  assert.equal(checkTranslation("I am an office worker.", english, "en").correct, true);

  const es = translations.find((t) => t.language === "es")!;
  const children = es.exercises.find((e) => e.id === "es-t-014")!;
  assert.equal(
    checkTranslation("¿Tenéis hijos?", children.accepted as string[], "es").correct,
    true,
  );

  const iku = exercise("ja", "iku-te");
  assert.equal(iku.type === "conjugation" && iku.person, "he/she (progressive)");
  const jaFile = contents.find((c) => c.language.code === "ja")!;
  const examples = jaFile.courses.flatMap((c) => c.lessons).flatMap((l) =>
    l.content.examples ?? []
  );
  assert.ok(!examples.some((e) => e.text.includes("質問を聞きました")));
  const estate = contents.find((c) => c.language.code === "it")!.vocabulary.find((v) =>
    v.word === "estate"
  )!;
  assert.match(estate.notes!.es!, /estarse/);
});

Deno.test("basic words have the same CEFR level in every language", () => {
  assert.deepEqual(levelConflicts(contents), []);
  const monday = contents.flatMap((c) => c.vocabulary).filter((v) => v.translation.en === "Monday");
  assert.ok(monday.length >= 5);
  for (const v of monday) assert.equal(v.level, "A1", v.word);
  const conflict = levelConflicts([
    { language: contents[0].language, vocabulary: [{ ...contents[0].vocabulary[0], level: "A2" }] },
    { language: contents[1].language, vocabulary: [{ ...contents[0].vocabulary[0], level: "A1" }] },
  ]);
  assert.equal(conflict.length, 1);
});

// The module's rules on small, made-up exercises.
const explanation = { en: "e", es: "e" };
const fill = { id: "a", type: "fill_blank", answer: "está", accepted: [], explanation };
const reorder = {
  id: "b",
  type: "reorder",
  answer: "Yo hablo español",
  accepted: [],
  explanation,
};

Deno.test("case and punctuation do not matter; a missing accent is wrong and named", () => {
  assert.equal(gradeExercise(fill, "  ESTÁ. ").correct, true);
  const accent = gradeExercise(fill, "esta");
  assert.equal(accent.correct, false);
  assert.equal(accent.error, "accent");
  assert.match(exerciseFeedback(accent).en, /accents/);
  assert.equal(gradeExercise(fill, "estoy").error, "wrong");
});

Deno.test("a reorder answer with the right words in the wrong order is a word-order mistake", () => {
  assert.equal(answerText(["Yo", "hablo", "español"]), "Yo hablo español");
  assert.equal(gradeExercise(reorder, ["yo", "hablo", "español"]).correct, true);
  assert.equal(gradeExercise(reorder, ["hablo", "yo", "español"]).error, "word_order");
  assert.equal(gradeExercise(reorder, ["yo", "como", "pan"]).error, "wrong");
});

Deno.test("a set's score is the share of submitted answers that are right", () => {
  const set = gradeExerciseSet([fill, reorder], [
    { exercise_id: "a", answer: "está" },
    { exercise_id: "b", answer: "hablo yo español" },
  ]);
  assert.equal(set.correct, 1);
  assert.equal(set.total, 2);
  assert.equal(set.score, 50);
  assert.equal(set.mastered, false);
  assert.equal(gradeExerciseSet([fill], [{ exercise_id: "a", answer: "está" }]).mastered, true);
  assert.equal(gradeExerciseSet([fill], []).score, 0);
});

Deno.test("an answer set is refused per answer: unknown exercises and repeats, by field", () => {
  const known = new Set(["a", "b"]);
  assert.deepEqual(answerSetProblems([{ exercise_id: "a" }, { exercise_id: "b" }], known, "x"), []);
  assert.deepEqual(
    answerSetProblems(
      [{ exercise_id: "a" }, { exercise_id: "z" }, { exercise_id: "a" }, { exercise_id: "b" }],
      new Map([["a", 1], ["b", 2]]),
      "Not an exercise of this topic",
    ),
    [
      { field: "answers.1.exercise_id", message: "Not an exercise of this topic" },
      { field: "answers.2.exercise_id", message: "Answered twice" },
    ],
  );
});

Deno.test("a plain wrong conjugation is recorded as a conjugation error; other slips keep their kind", () => {
  assert.equal(exerciseErrorKind("conjugation", "wrong"), "conjugation");
  assert.equal(exerciseErrorKind("conjugation", "accent"), "accent");
  assert.equal(exerciseErrorKind("fill_blank", "wrong"), "wrong");
  assert.equal(exerciseErrorKind("reorder", "word_order"), "word_order");
  assert.equal(exerciseErrorKind("reorder", null), "wrong");
});
