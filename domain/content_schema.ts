/**
 * The format of a curriculum content file (`content/<code>.json`), one per target
 * language. The same schemas validate the seed files, `POST /api/content/import` and
 * the authoring routes, so a file that seeds is a file that imports.
 *
 * Every human-readable text is a {@link LocalizedText}: one string per learner
 * language. A file declares in `locales` which learner languages it serves; every
 * localized text in it must then carry all of them (a Spanish course serves English
 * speakers only, a French one serves English and Spanish speakers).
 */
import { z } from "zod";
import { answerKey } from "./answer_matching.ts";

/** Learner (interface) languages the server can explain things in. */
export const LEARNER_LOCALES = ["en", "es"] as const;
export type Locale = (typeof LEARNER_LOCALES)[number];

export const CEFR_LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"] as const;
export const CefrLevel = z.enum(CEFR_LEVELS);
export type CefrLevel = z.infer<typeof CefrLevel>;

const nonEmpty = z.string().trim().min(1);

/** A text in each learner language; which ones are required is set by the file. */
export const LocalizedText = z.object({ en: nonEmpty, es: nonEmpty.optional() }).strict();
export type LocalizedText = z.infer<typeof LocalizedText>;

export const Slug = z.string().regex(
  /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
  "Use lowercase letters, digits and single hyphens",
);

export const PARTS_OF_SPEECH = [
  "noun",
  "verb",
  "adjective",
  "adverb",
  "pronoun",
  "preposition",
  "conjunction",
  "interjection",
  "numeral",
  "article",
  "determiner",
  "particle",
  "phrase",
] as const;

export const VOCABULARY_CATEGORIES = [
  "greetings",
  "people",
  "family",
  "food",
  "drink",
  "travel",
  "transport",
  "places",
  "home",
  "numbers",
  "time",
  "days",
  "weather",
  "colors",
  "body",
  "health",
  "clothing",
  "work",
  "school",
  "shopping",
  "nature",
  "animals",
  "feelings",
  "descriptions",
  "actions",
  "questions",
  "basics",
] as const;

export const GENDERS = ["m", "f", "n"] as const;

/** An example sentence in the target language with its translation. */
export const Example = z.object({
  text: nonEmpty,
  translation: LocalizedText,
  /** Reading aid for non-Latin scripts (kana for Japanese). */
  reading: nonEmpty.optional(),
  romanization: nonEmpty.optional(),
}).strict();

export const VocabularyItem = z.object({
  word: nonEmpty,
  /** Kana reading for Japanese words written with kanji. */
  reading: nonEmpty.optional(),
  /** Latin transcription (Hepburn for Japanese). */
  romanization: nonEmpty.optional(),
  translation: LocalizedText,
  /** Other answers accepted when a learner translates the word, per learner language. */
  alternatives: z.object({ en: z.array(nonEmpty).optional(), es: z.array(nonEmpty).optional() })
    .strict().optional(),
  part_of_speech: z.enum(PARTS_OF_SPEECH),
  gender: z.enum(GENDERS).nullable().optional(),
  plural: nonEmpty.optional(),
  /** IPA without slashes or brackets, with stress marks. */
  ipa: z.string().trim().min(1).refine((s) => !/[\/\[\]]/.test(s), "Write IPA without / or []"),
  example: Example,
  level: CefrLevel,
  category: z.enum(VOCABULARY_CATEGORIES),
  /** Rank in a frequency list of the language (1 = most frequent), when known. */
  frequency_rank: z.number().int().positive().optional(),
  notes: LocalizedText.optional(),
}).strict();
export type VocabularyItem = z.infer<typeof VocabularyItem>;

const exerciseBase = {
  id: Slug,
  instruction: LocalizedText,
  explanation: LocalizedText,
  hint: LocalizedText.optional(),
  /** Other accepted answers besides `answer`. */
  accepted: z.array(nonEmpty).optional(),
};

export const GrammarExercise = z.discriminatedUnion("type", [
  z.object({
    ...exerciseBase,
    type: z.literal("fill_blank"),
    /** Target-language sentence with `___` where the answer goes. */
    question: nonEmpty.refine((s) => s.includes("___"), "A fill_blank question needs ___"),
    translation: LocalizedText.optional(),
    answer: nonEmpty,
  }).strict(),
  z.object({
    ...exerciseBase,
    type: z.literal("multiple_choice"),
    question: nonEmpty,
    options: z.array(nonEmpty).min(2).max(6),
    answer: nonEmpty,
  }).strict().refine((e) => e.options.includes(e.answer), {
    message: "The answer must be one of the options",
    path: ["answer"],
  }).refine((e) => new Set(e.options).size === e.options.length, {
    message: "Options must be distinct",
    path: ["options"],
  }),
  z.object({
    ...exerciseBase,
    type: z.literal("reorder"),
    /** The words to put in order, as shown (any order). */
    words: z.array(nonEmpty).min(2),
    translation: LocalizedText,
    answer: nonEmpty,
    /**
     * For a reorder exercise, `accepted` lists every other grammatical order of the
     * same words that keeps the meaning of `translation` (German time words fronted
     * before the verb, Romance subjects after it). Each must use exactly the tiles.
     */
    accepted: z.array(nonEmpty).optional(),
  }).strict().refine(
    (e) => sameMultiset(e.words, tokens(e.answer)),
    { message: "words must be exactly the tokens of answer", path: ["words"] },
  ).superRefine((e, ctx) => {
    const tiles = e.words.join(" ");
    (e.accepted ?? []).forEach((order, i) => {
      if (!sameMultiset(orderUnits(tiles), orderUnits(order))) {
        ctx.addIssue({
          code: "custom",
          message: `"${order}" is not an order of the words ${tiles}`,
          path: ["accepted", i],
        });
      }
    });
  }),
  z.object({
    ...exerciseBase,
    type: z.literal("conjugation"),
    verb: nonEmpty,
    person: nonEmpty,
    tense: nonEmpty,
    /** Optional sentence frame with ___. */
    question: nonEmpty.optional(),
    answer: nonEmpty,
  }).strict(),
]);
export type GrammarExercise = z.infer<typeof GrammarExercise>;
export const EXERCISE_TYPES = ["fill_blank", "multiple_choice", "reorder", "conjugation"] as const;

export const GrammarTopic = z.object({
  slug: Slug,
  level: CefrLevel,
  title: LocalizedText,
  summary: LocalizedText,
  /** The rule, in plain language (Markdown allowed). */
  explanation: LocalizedText,
  examples: z.array(Example.extend({ note: LocalizedText.optional() })).min(3),
  exercises: z.array(GrammarExercise).min(4),
}).strict().superRefine((t, ctx) => {
  const ids = new Set<string>();
  t.exercises.forEach((e, i) => {
    if (ids.has(e.id)) {
      ctx.addIssue({
        code: "custom",
        message: `Duplicate exercise id ${e.id}`,
        path: ["exercises", i, "id"],
      });
    }
    ids.add(e.id);
  });
  if (new Set(t.exercises.map((e) => e.type)).size < 2) {
    ctx.addIssue({
      code: "custom",
      message: "Use at least two exercise types",
      path: ["exercises"],
    });
  }
});
export type GrammarTopic = z.infer<typeof GrammarTopic>;

export const LESSON_TYPES = ["vocabulary", "grammar", "conversation"] as const;

export const DialogueLine = z.object({
  speaker: nonEmpty,
  text: nonEmpty,
  reading: nonEmpty.optional(),
  romanization: nonEmpty.optional(),
  translation: LocalizedText,
}).strict();

export const Lesson = z.object({
  slug: Slug,
  type: z.enum(LESSON_TYPES),
  title: LocalizedText,
  summary: LocalizedText,
  estimated_minutes: z.number().int().min(3).max(120),
  content: z.object({
    /** The lesson's main text: introduction and teaching. */
    text: LocalizedText,
    dialogue: z.array(DialogueLine).optional(),
    examples: z.array(Example).optional(),
    cultural_notes: z.array(LocalizedText).optional(),
    usage_notes: z.array(LocalizedText).optional(),
  }).strict(),
  /** Words taught, by `word` of this file's vocabulary. */
  vocabulary: z.array(nonEmpty).default([]),
  /** Grammar topics taught, by slug. */
  grammar_topics: z.array(Slug).default([]),
}).strict();
export type Lesson = z.infer<typeof Lesson>;

export const Course = z.object({
  slug: Slug,
  level: CefrLevel,
  title: LocalizedText,
  description: LocalizedText,
  objectives: z.array(LocalizedText).min(3),
  estimated_hours: z.number().positive().max(500),
  /** Slug of the course that must be completed first, or null. */
  prerequisite: Slug.nullable(),
  lessons: z.array(Lesson).min(8),
}).strict();
export type Course = z.infer<typeof Course>;

export const LanguageInfo = z.object({
  code: z.string().regex(/^[a-z]{2}$/, "Use an ISO 639-1 code"),
  name: LocalizedText,
  native_name: nonEmpty,
  /** 1 (easiest) to 5 for an English speaker, from the FSI categories. */
  difficulty: z.number().int().min(1).max(5),
  /** US Foreign Service Institute category (I–IV) and its class hours. */
  fsi_category: z.enum(["I", "II", "III", "IV"]),
  fsi_hours: z.number().int().positive(),
  /** BCP 47 tag for text-to-speech (e.g. es-ES). */
  tts_lang: z.string().regex(/^[a-z]{2}-[A-Z]{2}$/),
  script: nonEmpty,
  has_gender: z.boolean(),
  /** Articles a learner may put before a noun answer and still be right, lowercase. */
  optional_articles: z.array(nonEmpty).default([]),
  description: LocalizedText,
}).strict();

/** A whole content file. Cross-references and counts are checked here too. */
export const ContentFile = z.object({
  locales: z.array(z.enum(LEARNER_LOCALES)).min(1).refine(
    (l) => l.includes("en"),
    "en is required",
  ),
  language: LanguageInfo,
  courses: z.array(Course).min(1),
  vocabulary: z.array(VocabularyItem),
  grammar: z.array(GrammarTopic),
}).strict().superRefine((file, ctx) => {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });

  for (const { path, missing } of missingLocales(file, file.locales)) {
    issue(path, `Missing translation for ${missing.join(", ")}`);
  }

  const words = new Map<string, number>();
  file.vocabulary.forEach((v, i) => {
    if (words.has(v.word)) issue(["vocabulary", i, "word"], `Duplicate word ${v.word}`);
    words.set(v.word, i);
    if (file.language.has_gender && v.part_of_speech === "noun" && !v.gender) {
      issue(["vocabulary", i, "gender"], `Noun ${v.word} needs a gender`);
    }
  });

  const topics = new Set<string>();
  file.grammar.forEach((g, i) => {
    if (topics.has(g.slug)) issue(["grammar", i, "slug"], `Duplicate topic ${g.slug}`);
    topics.add(g.slug);
  });

  const courseSlugs = new Set(file.courses.map((c) => c.slug));
  const lessonSlugs = new Set<string>();
  const taught = new Set<string>();
  file.courses.forEach((c, ci) => {
    if (c.prerequisite !== null && !courseSlugs.has(c.prerequisite)) {
      issue(["courses", ci, "prerequisite"], `Unknown course ${c.prerequisite}`);
    }
    c.lessons.forEach((l, li) => {
      const at = ["courses", ci, "lessons", li];
      if (lessonSlugs.has(l.slug)) issue([...at, "slug"], `Duplicate lesson ${l.slug}`);
      lessonSlugs.add(l.slug);
      l.vocabulary.forEach((w, wi) => {
        if (!words.has(w)) issue([...at, "vocabulary", wi], `Unknown word ${w}`);
        taught.add(w);
      });
      l.grammar_topics.forEach((g, gi) => {
        if (!topics.has(g)) issue([...at, "grammar_topics", gi], `Unknown grammar topic ${g}`);
      });
    });
  });
  file.vocabulary.forEach((v, i) => {
    if (!taught.has(v.word)) issue(["vocabulary", i, "word"], `${v.word} is in no lesson`);
  });
});
export type ContentFile = z.infer<typeof ContentFile>;

/** Splits a sentence into the words a reorder exercise shows. */
export function tokens(sentence: string): string[] {
  return sentence.trim().split(/\s+/).filter(Boolean);
}

/**
 * What two orders of the same tiles share: the normalised words, or the characters
 * for Japanese, which answerKey() writes without spaces.
 */
function orderUnits(sentence: string): string[] {
  const key = answerKey(sentence);
  return key.includes(" ") || !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(key)
    ? tokens(key)
    : [...key];
}

function sameMultiset(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

/**
 * Finds every localized text (an object with an `en` string) that lacks one of
 * the required locales.
 */
export function missingLocales(
  value: unknown,
  locales: readonly string[],
  path: (string | number)[] = [],
): { path: (string | number)[]; missing: string[] }[] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => missingLocales(v, locales, [...path, i]));
  }
  if (value === null || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  if (typeof record.en === "string") {
    const missing = locales.filter((l) => typeof record[l] !== "string");
    return missing.length ? [{ path, missing }] : [];
  }
  return Object.entries(record).flatMap(([k, v]) => missingLocales(v, locales, [...path, k]));
}

/**
 * Words that translate to the same English word but carry different CEFR levels in
 * different languages ("Monday" A2 in one course, A1 in the others). A word's level
 * is the CEFR level of the concept, whichever course teaches it, so a learner's A1
 * filter means the same in every language.
 */
export function levelConflicts(
  files: readonly Pick<ContentFile, "language" | "vocabulary">[],
): { gloss: string; levels: Record<string, string> }[] {
  const byGloss = new Map<string, Record<string, string>>();
  for (const f of files) {
    for (const v of f.vocabulary) {
      const gloss = v.translation.en.toLowerCase().replace(/^(the|a|an|to) /, "");
      const levels = byGloss.get(gloss) ?? {};
      levels[`${f.language.code} ${v.word}`] = v.level;
      byGloss.set(gloss, levels);
    }
  }
  return [...byGloss].filter(([, levels]) => new Set(Object.values(levels)).size > 1)
    .map(([gloss, levels]) => ({ gloss, levels }));
}

/** Minimum amounts of content a language must ship with. */
export const CONTENT_MINIMUMS = {
  vocabulary: 120,
  grammarTopics: 6,
  courses: 2,
  lessonsPerCourse: 8,
} as const;
