/**
 * Builds each course's quizzes from its own validated content, deterministically
 * (seeded by the course), so every question is as correct as the curriculum it
 * comes from: a vocabulary quiz, a grammar quiz and a comprehensive final
 * assessment, each mixing question types.
 */
import type {
  ContentFile,
  Course,
  GrammarExercise,
  LocalizedText,
  VocabularyItem,
} from "./content_schema.ts";
import { answerKey } from "./answer_matching.ts";
import { hashSeed, sample, seededRandom, shuffled } from "./random.ts";
import { acceptedAnswers } from "./vocabulary_practice.ts";
import type { AnswerKey, QuestionType } from "./quiz_scoring.ts";

/** Answer keys may hold texts per learner language; they are resolved before scoring. */
export type StoredKey =
  | AnswerKey
  | { type: "matching_localized"; pairs: Record<string, LocalizedText> }
  | { type: "multiple_choice_localized"; correct: LocalizedText[] };

export interface GeneratedQuestion {
  id: string;
  type: QuestionType;
  prompt: Record<string, unknown>;
  key: StoredKey;
  explanation: LocalizedText;
  points: number;
  tags: Record<string, string>;
}

export interface GeneratedQuiz {
  id: string;
  courseId: string;
  kind: "vocabulary" | "grammar" | "final";
  title: LocalizedText;
  difficulty: number;
  timeLimitSeconds: number;
  maxAttempts: number;
  passPercentage: number;
  questions: GeneratedQuestion[];
}

/** The spec's name for a quiz's kind. */
export function quizType(kind: string): "vocabulary" | "grammar" | "comprehensive" {
  return kind === "vocabulary" || kind === "grammar" ? kind : "comprehensive";
}

const LEVEL_DIFFICULTY: Record<string, number> = { A1: 1, A2: 2, B1: 3, B2: 4, C1: 5, C2: 5 };

type Word = VocabularyItem & { id: string };

function t(en: string, es: string): LocalizedText {
  return { en, es };
}

/** A localized text mapped per locale. */
function each(locales: readonly string[], f: (l: "en" | "es") => string): LocalizedText {
  const out: Record<string, string> = {};
  for (const l of locales) out[l] = f(l as "en" | "es");
  return out as LocalizedText;
}

function meaning(w: VocabularyItem, l: "en" | "es"): string {
  return w.translation[l] ?? w.translation.en;
}

function wordExplanation(w: VocabularyItem, locales: readonly string[]): LocalizedText {
  const gender = w.gender ? ` (${w.gender}.)` : "";
  return each(locales, (l) => {
    const ex = `${w.example.text} — ${w.example.translation[l] ?? w.example.translation.en}`;
    return l === "es"
      ? `«${w.word}»${gender} significa «${meaning(w, l)}». Ejemplo: ${ex}`
      : `"${w.word}"${gender} means "${meaning(w, l)}". Example: ${ex}`;
  });
}

function vocabularyQuestions(
  words: Word[],
  content: ContentFile,
  random: () => number,
  prefix: string,
  count: number,
): GeneratedQuestion[] {
  const { language, locales } = content;
  const articles = language.optional_articles;
  const pool = shuffled(words, random);
  const out: GeneratedQuestion[] = [];
  let i = 0;
  const next = () => pool[i++ % pool.length];
  const id = () => `${prefix}-q${String(out.length + 1).padStart(2, "0")}`;
  const base = (w: Word) => ({ vocabulary_id: w.id, concept: "vocabulary", category: w.category });
  const kinds: QuestionType[] = [
    "multiple_choice",
    "translation",
    "true_false",
    "listening",
    "matching",
  ];
  for (let k = 0; out.length < count; k++) {
    const kind = kinds[k % kinds.length];
    let w = next();
    // A word spelt like its meaning ("Hotel" = "hotel") would be asked with its answer.
    for (
      let tries = 0;
      kind !== "true_false" && kind !== "matching" && tries < pool.length;
      tries++
    ) {
      if (!spelledLikeMeaning(w, locales)) break;
      w = next();
    }
    if (kind === "multiple_choice") {
      const candidates = words.filter((x) => x.word !== w.word && !sameMeaning(x, w));
      const samePos = candidates.filter((x) => x.part_of_speech === w.part_of_speech);
      const distractors = sample(samePos.length >= 3 ? samePos : candidates, 3, random);
      const options = shuffled([w.word, ...distractors.map((d) => d.word)], random);
      out.push({
        id: id(),
        type: "multiple_choice",
        prompt: {
          instruction: t("Choose the word that means:", "Elige la palabra que significa:"),
          text: each(locales, (l) => meaning(w, l)),
          options,
        },
        key: { type: "multiple_choice", correct: [w.word] },
        explanation: wordExplanation(w, locales),
        points: 1,
        tags: { ...base(w), question_type: "multiple_choice" },
      });
    } else if (kind === "translation") {
      out.push({
        id: id(),
        type: "translation",
        prompt: translationPrompt(w, content),
        key: {
          type: "translation",
          accepted: acceptedAnswers(w, "to_target", "en"),
          articles,
        },
        explanation: wordExplanation(w, locales),
        points: 1,
        tags: { ...base(w), question_type: "translation" },
      });
    } else if (kind === "true_false") {
      const truthful = random() < 0.5;
      const other = sample(words.filter((x) => !sameMeaning(x, w)), 1, random)[0] ?? w;
      const shown = truthful ? w : other;
      out.push({
        id: id(),
        type: "true_false",
        prompt: {
          instruction: t("True or false?", "¿Verdadero o falso?"),
          text: each(
            locales,
            (l) =>
              l === "es"
                ? `«${w.word}» significa «${meaning(shown, l)}».`
                : `"${w.word}" means "${meaning(shown, l)}".`,
          ),
        },
        key: { type: "true_false", value: shown === w },
        explanation: wordExplanation(w, locales),
        points: 1,
        tags: { ...base(w), question_type: "true_false" },
      });
    } else if (kind === "listening") {
      out.push({
        id: id(),
        type: "listening",
        prompt: {
          instruction: t(
            "Listen and type the word you hear.",
            "Escucha y escribe la palabra que oyes.",
          ),
          // No text of the word, not even for speech synthesis: the word is the answer. The
          // recording is served by an opaque URL; a word without one is asked as this
          // translation instead (decided when served, since recordings can arrive later).
          without_audio: { type: "translation", ...translationPrompt(w, content) },
        },
        key: {
          type: "listening",
          accepted: acceptedAnswers(w, "to_target", "en"),
          articles,
        },
        explanation: wordExplanation(w, locales),
        points: 1,
        tags: { ...base(w), question_type: "listening" },
      });
    } else {
      const group: Word[] = [w];
      for (const x of shuffled(words, random)) {
        if (group.length === 4) break;
        if (group.every((g) => g.word !== x.word && !sameMeaning(g, x))) group.push(x);
      }
      const pairs = Object.fromEntries(
        group.map((g) => [g.word, each(locales, (l) => meaning(g, l))]),
      );
      out.push({
        id: id(),
        type: "matching",
        prompt: {
          instruction: t(
            "Match each word with its meaning.",
            "Une cada palabra con su significado.",
          ),
          left: group.map((g) => g.word),
          right: shuffled(group, random).map((g) => each(locales, (l) => meaning(g, l))),
        },
        key: { type: "matching_localized", pairs },
        explanation: each(
          locales,
          (l) => group.map((g) => `${g.word} = ${meaning(g, l)}`).join("; "),
        ),
        points: group.length,
        tags: { ...base(w), question_type: "matching" },
      });
    }
  }
  // One several-answer question: nouns of one gender, or the verbs among other words.
  const nouns = words.filter((x) => x.part_of_speech === "noun" && x.gender);
  const fem = nouns.filter((x) => x.gender === "f");
  const masc = nouns.filter((x) => x.gender === "m");
  if (language.has_gender && fem.length >= 2 && masc.length >= 2) {
    const right = sample(fem, 2, random);
    const wrong = sample(masc, 3, random);
    out.push({
      id: id(),
      type: "multiple_choice",
      prompt: {
        instruction: t(
          "Select every feminine noun.",
          "Selecciona todos los sustantivos femeninos.",
        ),
        options: shuffled([...right, ...wrong].map((x) => x.word), random),
        multiple: true,
      },
      key: { type: "multiple_choice", correct: right.map((x) => x.word) },
      explanation: each(
        locales,
        (l) =>
          l === "es"
            ? `Femeninos: ${right.map((x) => x.word).join(", ")}. Masculinos: ${
              wrong.map((x) => x.word).join(", ")
            }.`
            : `Feminine: ${right.map((x) => x.word).join(", ")}. Masculine: ${
              wrong.map((x) => x.word).join(", ")
            }.`,
      ),
      points: 2,
      tags: { concept: "gender", question_type: "multiple_choice_multiple" },
    });
  } else {
    const verbs = words.filter((x) => x.part_of_speech === "verb");
    const others = words.filter((x) => x.part_of_speech !== "verb");
    if (verbs.length >= 2 && others.length >= 3) {
      const right = sample(verbs, 2, random);
      const wrong = sample(others, 3, random);
      out.push({
        id: id(),
        type: "multiple_choice",
        prompt: {
          instruction: t("Select every verb.", "Selecciona todos los verbos."),
          options: shuffled([...right, ...wrong].map((x) => x.word), random),
          multiple: true,
        },
        key: { type: "multiple_choice", correct: right.map((x) => x.word) },
        explanation: each(
          locales,
          (l) =>
            right.map((x) => `${x.word} = ${meaning(x, l)}`).join("; ") +
            (l === "es" ? " son verbos." : " are verbs."),
        ),
        points: 2,
        tags: { concept: "part_of_speech", question_type: "multiple_choice_multiple" },
      });
    }
  }
  return out;
}

function translationPrompt(w: VocabularyItem, content: ContentFile) {
  return {
    instruction: each(
      content.locales,
      (l) =>
        l === "es"
          ? `Traduce al ${nameIn(content, "es")}:`
          : `Translate into ${nameIn(content, "en")}:`,
    ),
    text: each(content.locales, (l) => meaning(w, l)),
  };
}

function nameIn(content: ContentFile, l: "en" | "es"): string {
  const name = content.language.name[l] ?? content.language.name.en;
  // Language names are capitalised in English, not in Spanish.
  return l === "es" ? name.toLowerCase() : name;
}

/** Whether a word's answers appear in its meaning in some locale (a cognate). */
function spelledLikeMeaning(w: VocabularyItem, locales: readonly string[]): boolean {
  const answers = [w.word, ...acceptedAnswers(w, "to_target", "en")].map(answerKey);
  return locales.some((l) => {
    const text = ` ${answerKey(meaning(w, l as "en" | "es"))} `;
    return answers.some((a) => text.includes(` ${a} `));
  });
}

/** Whether two words could both be right for one meaning (then one cannot be a distractor). */
function sameMeaning(a: VocabularyItem, b: VocabularyItem): boolean {
  const meanings = (w: VocabularyItem) =>
    new Set(
      [
        w.translation.en,
        w.translation.es,
        ...(w.alternatives?.en ?? []),
        ...(w.alternatives?.es ?? []),
      ]
        .filter((x): x is string => !!x).map((x) => x.toLowerCase()),
    );
  const ma = meanings(a);
  return [...meanings(b)].some((m) => ma.has(m));
}

function grammarQuestion(
  ex: GrammarExercise,
  topic: string,
  id: string,
  locales: readonly string[],
): GeneratedQuestion {
  const accepted = [ex.answer, ...(ex.accepted ?? [])];
  const tags = {
    grammar_topic: topic,
    concept: ex.type === "conjugation" ? "conjugation" : "grammar",
  };
  const explanation = ex.explanation;
  switch (ex.type) {
    case "fill_blank":
      return {
        id,
        type: "fill_blank",
        prompt: {
          instruction: ex.instruction,
          text: ex.question,
          translation: ex.translation ?? null,
        },
        key: { type: "fill_blank", blanks: [accepted] },
        explanation,
        points: 1,
        tags: { ...tags, question_type: "fill_blank" },
      };
    case "multiple_choice":
      return {
        id,
        type: "multiple_choice",
        prompt: { instruction: ex.instruction, text: ex.question, options: ex.options },
        key: { type: "multiple_choice", correct: [ex.answer] },
        explanation,
        points: 1,
        tags: { ...tags, question_type: "multiple_choice" },
      };
    case "reorder":
      return {
        id,
        type: "reorder",
        prompt: { instruction: ex.instruction, words: ex.words, translation: ex.translation },
        key: { type: "reorder", accepted },
        explanation,
        points: 1,
        tags: { ...tags, question_type: "reorder", concept: "word_order" },
      };
    case "conjugation":
      return {
        id,
        type: "fill_blank",
        prompt: {
          instruction: ex.instruction,
          text: ex.question ?? "___",
          hint: each(locales, () => `${ex.verb} · ${ex.person} · ${ex.tense}`),
        },
        key: { type: "fill_blank", blanks: [accepted] },
        explanation,
        points: 1,
        tags: { ...tags, question_type: "fill_blank" },
      };
  }
}

/** The texts a learner reads in a prompt, leaving out the lists they choose from. */
function readTexts(value: unknown, key = ""): string[] {
  if (typeof value === "string") return [value];
  if (["options", "words", "left", "right"].includes(key)) return [];
  if (Array.isArray(value)) return value.flatMap((v) => readTexts(v));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => readTexts(v, k));
  }
  return [];
}

/** Whether a question's prompt shows one of its typed answers as a whole word or phrase. */
function holdsOwnAnswer(q: GeneratedQuestion): boolean {
  const key = q.key as { blanks?: string[][]; accepted?: string[]; correct?: string[] };
  const answers = [...(key.blanks?.flat() ?? []), ...(key.accepted ?? []), ...(key.correct ?? [])]
    .map(answerKey).filter(Boolean);
  return readTexts(q.prompt).some((t) => {
    const text = ` ${answerKey(t)} `;
    return answers.some((a) => text.includes(` ${a} `));
  });
}

/** Whether the sentence of `shown` contains an answer of `asked` as a whole word or phrase. */
function givesAway(shown: GeneratedQuestion, asked: GeneratedQuestion): boolean {
  const text = ` ${answerKey(String(shown.prompt.text))} `;
  return (asked.key as { blanks: string[][] }).blanks.flat()
    .some((answer) => text.includes(` ${answerKey(answer)} `));
}

/** Joins two single-blank questions into one with two blanks (partial credit per blank). */
function twoBlanks(
  a: GeneratedQuestion,
  b: GeneratedQuestion,
  id: string,
  locales: readonly string[],
): GeneratedQuestion {
  const ka = a.key as { blanks: string[][] };
  const kb = b.key as { blanks: string[][] };
  return {
    id,
    type: "fill_blank",
    prompt: {
      instruction: t("Fill in both blanks.", "Completa los dos huecos."),
      text: `1) ${a.prompt.text}  2) ${b.prompt.text}`,
      blanks: 2,
    },
    key: { type: "fill_blank", blanks: [ka.blanks[0], kb.blanks[0]] },
    explanation: each(
      locales,
      (l) =>
        `1) ${a.explanation[l] ?? a.explanation.en} 2) ${b.explanation[l] ?? b.explanation.en}`,
    ),
    points: 2,
    tags: { ...a.tags, question_type: "fill_blank_multiple" },
  };
}

function grammarQuestions(
  course: Course,
  content: ContentFile,
  random: () => number,
  prefix: string,
  count: number,
): GeneratedQuestion[] {
  const topics = new Set(course.lessons.flatMap((l) => l.grammar_topics));
  const exercises = content.grammar.filter((g) => topics.has(g.slug))
    .flatMap((g) => g.exercises.map((e) => ({ topic: g.slug, e })))
    // An exercise whose sentence repeats its answer ("¿Te gusta…? —Sí, me ___") is for practice, not a quiz.
    .filter((p) => !holdsOwnAnswer(grammarQuestion(p.e, p.topic, "", content.locales)));
  const picked = sample(exercises, count + 1, random);
  const out: GeneratedQuestion[] = [];
  const id = () => `${prefix}-q${String(out.length + 1).padStart(2, "0")}`;
  const singles = picked.map((p, i) =>
    grammarQuestion(p.e, p.topic, `${prefix}-x${i}`, content.locales)
  );
  const blanks = singles.filter((q) =>
    q.type === "fill_blank" && !(q.prompt as { hint?: unknown }).hint
  );
  // Two sentences shown together must not give each other's answer away.
  const pair = blanks.flatMap((a, i) => blanks.slice(i + 1).map((b) => [a, b]))
    .find(([a, b]) => !givesAway(a, b) && !givesAway(b, a));
  let merged = false;
  for (const q of singles) {
    if (out.length >= count) break;
    if (!merged && pair && q === pair[0]) {
      out.push(twoBlanks(pair[0], pair[1], id(), content.locales));
      merged = true;
      continue;
    }
    if (merged && q === pair?.[1]) continue;
    out.push({ ...q, id: id() });
  }
  return out;
}

/** The three quizzes of every course in a content file. */
export function generateQuizzes(
  content: ContentFile,
  wordIds: Map<string, string>,
): GeneratedQuiz[] {
  return content.courses.flatMap((course) => {
    const random = seededRandom(hashSeed(course.slug));
    const courseWords = new Set(course.lessons.flatMap((l) => l.vocabulary));
    const words: Word[] = content.vocabulary.filter((v) => courseWords.has(v.word))
      .map((v) => ({ ...v, id: wordIds.get(v.word)! }));
    const level = LEVEL_DIFFICULTY[course.level] ?? 1;
    const title = (en: string, es: string) =>
      each(
        content.locales,
        (l) => `${course.title[l] ?? course.title.en}: ${l === "es" ? es : en}`,
      );
    const vocab = vocabularyQuestions(words, content, random, `${course.slug}-vocabulary`, 10);
    const grammar = grammarQuestions(course, content, random, `${course.slug}-grammar`, 10);
    const finalVocab = vocabularyQuestions(words, content, random, `${course.slug}-final-v`, 8);
    const finalGrammar = grammarQuestions(course, content, random, `${course.slug}-final-g`, 8);
    const final = shuffled([...finalVocab, ...finalGrammar], random)
      .map((q, i) => ({ ...q, id: `${course.slug}-final-q${String(i + 1).padStart(2, "0")}` }));
    return [
      {
        id: `${course.slug}-vocabulary`,
        courseId: course.slug,
        kind: "vocabulary" as const,
        title: title("vocabulary quiz", "prueba de vocabulario"),
        difficulty: level,
        timeLimitSeconds: 600,
        maxAttempts: 3,
        passPercentage: 70,
        questions: vocab,
      },
      {
        id: `${course.slug}-grammar`,
        courseId: course.slug,
        kind: "grammar" as const,
        title: title("grammar quiz", "prueba de gramática"),
        difficulty: level,
        timeLimitSeconds: 600,
        maxAttempts: 3,
        passPercentage: 70,
        questions: grammar,
      },
      {
        id: `${course.slug}-final`,
        courseId: course.slug,
        kind: "final" as const,
        title: title("final assessment", "evaluación final"),
        difficulty: level + 1,
        timeLimitSeconds: 1200,
        maxAttempts: 3,
        passPercentage: 75,
        questions: final,
      },
    ];
  });
}
