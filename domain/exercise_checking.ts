/**
 * Grading grammar exercises. Case, spacing and punctuation never matter; accents
 * do (a missing accent is wrong, and said to be an accent slip); a reorder answer
 * with the right words in the wrong order is named as a word-order mistake.
 */
import type { LocalizedText } from "./content_schema.ts";
import { answerKey, matchAnswer } from "./answer_matching.ts";
import { MASTERY_THRESHOLD } from "./lesson_unlocking.ts";

export interface GradableExercise {
  id: string;
  type: string;
  answer: string;
  accepted: string[];
  explanation: LocalizedText;
}

export type ExerciseError = "accent" | "word_order" | "spelling" | "wrong";

export interface ExerciseResult {
  exercise_id: string;
  correct: boolean;
  your_answer: string;
  correct_answer: string;
  error: ExerciseError | null;
  explanation: LocalizedText;
}

/** Normalises a submitted answer: reorder answers may come as an array of words. */
export function answerText(answer: string | string[]): string {
  return Array.isArray(answer) ? answer.join(" ") : answer;
}

/** Grades one answer. */
export function gradeExercise(ex: GradableExercise, answer: string | string[]): ExerciseResult {
  const given = answerText(answer);
  const accepted = [ex.answer, ...ex.accepted];
  const match = matchAnswer(given, accepted, { allowTypo: true });
  let error: ExerciseError | null = null;
  if (match.verdict === "accent") error = "accent";
  else if (match.verdict === "typo") error = "spelling";
  else if (match.verdict === "wrong") {
    const sorted = (s: string) => answerKey(s).split(" ").sort().join(" ");
    error = ex.type === "reorder" && accepted.some((a) => sorted(a) === sorted(given))
      ? "word_order"
      : "wrong";
  }
  return {
    exercise_id: ex.id,
    correct: match.verdict === "exact",
    your_answer: given,
    correct_answer: ex.answer,
    error,
    explanation: ex.explanation,
  };
}

/**
 * Grades a set; the score is the share of submitted answers that are right.
 * Mastery asks more: right answers to {@link MASTERY_THRESHOLD}% of all the
 * exercises, so one right answer sent alone does not master a topic.
 */
export function gradeExerciseSet(
  exercises: readonly GradableExercise[],
  answers: readonly { exercise_id: string; answer: string | string[] }[],
) {
  const byId = new Map(exercises.map((e) => [e.id, e]));
  const results = answers.map((a) => gradeExercise(byId.get(a.exercise_id)!, a.answer));
  const correct = results.filter((r) => r.correct).length;
  const score = results.length ? Math.round((correct / results.length) * 1000) / 10 : 0;
  const mastered = exercises.length > 0 &&
    (correct / exercises.length) * 100 >= MASTERY_THRESHOLD;
  return { results, correct, total: results.length, score, mastered };
}

/**
 * What is wrong with a submitted set of answers against the exercises it may
 * answer: an exercise that is not one of them, or one answered twice. Empty
 * when the set is acceptable; else one problem per offending answer, by field.
 */
export function answerSetProblems(
  answers: readonly { exercise_id: string }[],
  known: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  notKnown: string,
): { field: string; message: string }[] {
  const seen = new Set<string>();
  return answers.flatMap((a, i) => {
    const field = `answers.${i}.exercise_id`;
    if (!known.has(a.exercise_id)) return [{ field, message: notKnown }];
    if (seen.has(a.exercise_id)) return [{ field, message: "Answered twice" }];
    seen.add(a.exercise_id);
    return [];
  });
}

/**
 * The error kind recorded for pattern analysis: a plain wrong answer to a
 * conjugation exercise is a conjugation error; otherwise the grading's error.
 */
export function exerciseErrorKind(exerciseType: string, error: ExerciseError | null): string {
  return error === "wrong" && exerciseType === "conjugation" ? "conjugation" : error ?? "wrong";
}

/** Feedback sentence for one result. */
export function exerciseFeedback(r: ExerciseResult): LocalizedText {
  if (r.correct) return { en: "Correct.", es: "Correcto." };
  switch (r.error) {
    case "accent":
      return {
        en: `Almost: check the accents. The answer is "${r.correct_answer}".`,
        es: `Casi: revisa las tildes. La respuesta es «${r.correct_answer}».`,
      };
    case "word_order":
      return {
        en: `The words are right but the order is not: "${r.correct_answer}".`,
        es: `Las palabras son correctas pero el orden no: «${r.correct_answer}».`,
      };
    case "spelling":
      return {
        en: `Close, but the spelling matters here: "${r.correct_answer}".`,
        es: `Casi, pero aquí cuenta la ortografía: «${r.correct_answer}».`,
      };
    default:
      return {
        en: `Not quite. The answer is "${r.correct_answer}".`,
        es: `No exactamente. La respuesta es «${r.correct_answer}».`,
      };
  }
}
