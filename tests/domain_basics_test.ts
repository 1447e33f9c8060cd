import assert from "node:assert/strict";
import { emailKey, isTimeZone, usernameKey } from "../domain/accounts.ts";
import {
  answerKey,
  editDistance,
  matchAnswer,
  stripLatinAccents,
} from "../domain/answer_matching.ts";
import { gradeExerciseSet } from "../domain/exercise_checking.ts";
import { isMastered, lessonScore } from "../domain/lesson_unlocking.ts";
import { levelForXp, levelsGained, xpForLevel } from "../domain/levels.ts";
import { chooseLocale, localized } from "../domain/localize.ts";

Deno.test("levelForXp() follows the 50·n·(n−1) curve at its boundaries", () => {
  assert.equal(levelForXp(0).level, 1);
  assert.equal(levelForXp(99).level, 1);
  assert.equal(levelForXp(100).level, 2);
  assert.equal(levelForXp(299).level, 2);
  assert.equal(levelForXp(300).level, 3);
  assert.equal(levelForXp(-5).level, 1);
  for (let n = 1; n < 200; n++) {
    assert.equal(levelForXp(xpForLevel(n)).level, n);
    assert.equal(levelForXp(xpForLevel(n) - 1).level, Math.max(1, n - 1));
  }
  assert.deepEqual(levelForXp(150), { level: 2, xp_into_level: 50, xp_for_next_level: 200 });
});

Deno.test("usernames and emails compare case-insensitively after NFKC", () => {
  assert.equal(usernameKey("  María "), "maría");
  assert.equal(usernameKey("Ｍａｒｉａ"), "maria");
  assert.equal(emailKey("A@Example.COM"), "a@example.com");
  assert.ok(isTimeZone("Europe/Madrid"));
  assert.ok(!isTimeZone("Europe/Atlantis"));
});

Deno.test("chooseLocale() prefers the profile, then Accept-Language by q, then English", () => {
  assert.deepEqual(chooseLocale("es", "en"), { locale: "es", source: "profile" });
  assert.deepEqual(chooseLocale("de", "fr;q=0.9, es;q=0.8, en;q=0.1"), {
    locale: "es",
    source: "accept-language",
  });
  assert.deepEqual(chooseLocale(undefined, "es-MX,es;q=0.9"), {
    locale: "es",
    source: "accept-language",
  });
  assert.deepEqual(chooseLocale(undefined, "de-DE"), { locale: "en", source: "default" });
  assert.deepEqual(chooseLocale(undefined, "garbage;q=x"), { locale: "en", source: "default" });
  assert.equal(localized({ en: "hello" }, "es"), "hello");
  assert.equal(localized({ en: "hello", es: "hola" }, "es"), "hola");
});

Deno.test("answerKey() ignores case, spacing and punctuation but keeps accents", () => {
  assert.equal(answerKey("  ¡Hola,   Mundo! "), "hola mundo");
  assert.equal(answerKey("Él está"), "él está");
  assert.equal(answerKey("l’eau"), "l'eau");
  assert.equal(answerKey("'quoted'"), "quoted");
  assert.equal(stripLatinAccents("canción ñandú über"), "cancion nandu uber");
  assert.equal(stripLatinAccents("がくせい"), "がくせい", "dakuten are not accents");
});

Deno.test("editDistance() counts a transposition as one edit", () => {
  assert.equal(editDistance("casa", "casa"), 0);
  assert.equal(editDistance("casa", "csaa"), 1);
  assert.equal(editDistance("casa", "cosa"), 1);
  assert.equal(editDistance("casa", "cas"), 1);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("ab", "ba"), 1);
});

Deno.test("matchAnswer() grades exact, accent, typo and wrong answers", () => {
  assert.equal(matchAnswer("Canción", ["canción"]).verdict, "exact");
  assert.equal(matchAnswer("cancion", ["canción"]).verdict, "accent");
  assert.equal(matchAnswer("cancoin", ["canción"], { allowTypo: true }).verdict, "typo");
  assert.equal(matchAnswer("cancoin", ["canción"]).verdict, "wrong");
  assert.equal(
    matchAnswer("css", ["cas"], { allowTypo: true }).verdict,
    "wrong",
    "short words need exactness",
  );
  assert.equal(matchAnswer("the house", ["house"], { articles: ["the", "a"] }).verdict, "exact");
  assert.equal(matchAnswer("la casa", ["casa"], { articles: ["el", "la"] }).verdict, "exact");
  assert.equal(matchAnswer("l'eau", ["eau"], { articles: ["l'", "le"] }).verdict, "exact");
  const best = matchAnswer("hi", ["hello", "hi"]);
  assert.deepEqual(best, { verdict: "exact", closest: "hi" });
  assert.equal(matchAnswer("perro", ["gato", "pato"]).verdict, "wrong");
  // An accent slip on one accepted answer is not lost to a later, merely closer wrong one.
  assert.equal(matchAnswer("cuando llega", ["cuándo llega", "cuándo llegas"]).verdict, "accent");
});

Deno.test("answerKey() ignores spacing in Japanese and folds ligatures as accents", () => {
  assert.equal(answerKey("わたしは がくせい です。"), "わたしはがくせいです");
  assert.equal(answerKey("今日は、いい天気です。"), answerKey("今日はいい天気です"));
  assert.equal(matchAnswer("soeur", ["sœur"]).verdict, "accent");
  assert.equal(matchAnswer("Strasse", ["Straße"]).verdict, "accent");
});

Deno.test("lessonScore() counts the items answered right; a topic needs 80% of all its exercises", () => {
  assert.equal(
    lessonScore({ exercises: 0, words: 0, rightExercises: 0, rightWords: 0 }),
    undefined,
  );
  assert.equal(lessonScore({ exercises: 6, words: 4, rightExercises: 6, rightWords: 2 }), 80);
  assert.equal(lessonScore({ exercises: 0, words: 3, rightExercises: 0, rightWords: 1 }), 33.3);
  assert.equal(
    isMastered(lessonScore({ exercises: 2, words: 8, rightExercises: 0, rightWords: 8 })),
    true,
  );
  assert.equal(isMastered(0), false);
  const exercises = [1, 2, 3, 4, 5].map((i) => ({
    id: `e${i}`,
    type: "fill_blank",
    answer: "soy",
    accepted: [],
    explanation: { en: "" },
  }));
  const one = gradeExerciseSet(exercises, [{ exercise_id: "e1", answer: "soy" }]);
  assert.equal(one.score, 100, "the share of answers sent");
  assert.equal(one.mastered, false, "one of five is not mastery");
  const four = gradeExerciseSet(
    exercises,
    exercises.slice(0, 4).map((e) => ({
      exercise_id: e.id,
      answer: "soy",
    })),
  );
  assert.equal(four.mastered, true);
});

Deno.test("levelsGained() counts the levels a period's XP climbed", () => {
  assert.equal(levelsGained(0, 0), 0);
  assert.equal(levelsGained(100, 100), 1); // level 1 → 2 at 100 XP
  assert.equal(levelsGained(350, 60), 1); // 300 XP is level 3, 290 level 2
  assert.equal(levelsGained(350, 50), 0);
  assert.equal(levelsGained(350, 350), 2);
});
