/**
 * Formats of the practice content kept beside the curriculum:
 * `content/translations/<code>.json` (translation exercises) and
 * `content/pronunciation/<code>.json` (sound guides for learners).
 */
import { z } from "zod";
import { LocalizedText, missingLocales, Slug } from "./content_schema.ts";

const nonEmpty = z.string().trim().min(1);
const locales = z.array(z.enum(["en", "es"])).min(1).refine(
  (l) => l.includes("en"),
  "en is required",
);

export const TranslationExercise = z.discriminatedUnion("direction", [
  z.object({
    id: Slug,
    /** The learner translates from their language into the target language. */
    direction: z.literal("to_target"),
    difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    kind: z.enum(["phrase", "sentence"]),
    /** The text to translate, per learner language. */
    source: LocalizedText,
    /** Every acceptable target-language translation (at least two where the language allows). */
    accepted: z.array(nonEmpty).min(1),
    notes: LocalizedText.optional(),
  }).strict(),
  z.object({
    id: Slug,
    /** The learner translates from the target language into their own. */
    direction: z.literal("from_target"),
    difficulty: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    kind: z.enum(["phrase", "sentence"]),
    source: nonEmpty,
    /** Reading aid for non-Latin scripts. */
    reading: nonEmpty.optional(),
    romanization: nonEmpty.optional(),
    /** Acceptable translations per learner language. */
    accepted: z.object({ en: z.array(nonEmpty).min(1), es: z.array(nonEmpty).min(1).optional() })
      .strict(),
    notes: LocalizedText.optional(),
  }).strict(),
]);
export type TranslationExercise = z.infer<typeof TranslationExercise>;

export const TranslationFile = z.object({
  language: z.string().regex(/^[a-z]{2}$/),
  locales,
  exercises: z.array(TranslationExercise).min(30),
}).strict().superRefine((file, ctx) => {
  const ids = new Set<string>();
  file.exercises.forEach((e, i) => {
    if (ids.has(e.id)) {
      ctx.addIssue({
        code: "custom",
        path: ["exercises", i, "id"],
        message: `Duplicate id ${e.id}`,
      });
    }
    ids.add(e.id);
    if (e.direction === "from_target") {
      for (const l of file.locales) {
        if (!e.accepted[l]) {
          ctx.addIssue({
            code: "custom",
            path: ["exercises", i, "accepted", l],
            message: `Missing ${l} translations`,
          });
        }
      }
    }
  });
  for (const { path, missing } of missingLocales(file.exercises, file.locales)) {
    ctx.addIssue({
      code: "custom",
      path: ["exercises", ...path],
      message: `Missing translation for ${missing.join(", ")}`,
    });
  }
  for (const d of [1, 2, 3]) {
    for (const dir of ["to_target", "from_target"]) {
      if (!file.exercises.some((e) => e.difficulty === d && e.direction === dir)) {
        ctx.addIssue({
          code: "custom",
          path: ["exercises"],
          message: `No ${dir} exercise of difficulty ${d}`,
        });
      }
    }
  }
});
export type TranslationFile = z.infer<typeof TranslationFile>;

export const SoundGuide = z.object({
  /** The IPA symbol or sequence as it appears in the vocabulary's transcriptions. */
  ipa: nonEmpty,
  name: LocalizedText,
  /** How to make the sound, written for speakers of each learner language. */
  tip: LocalizedText,
  /** How hard the sound is for speakers of each learner language: 1 familiar, 3 new. */
  difficulty_for: z.object({
    en: z.number().int().min(1).max(3),
    es: z.number().int().min(1).max(3).optional(),
  })
    .strict(),
  /** Words of the vocabulary list that contain the sound. */
  examples: z.array(nonEmpty).min(1),
}).strict();

export const PronunciationFile = z.object({
  language: z.string().regex(/^[a-z]{2}$/),
  locales,
  sounds: z.array(SoundGuide).min(8),
  /**
   * Learner-friendly respelling per learner language: IPA symbol (or sequence) →
   * letters a speaker of that language would read as that sound. Longest match wins.
   */
  respelling: z.object({
    en: z.record(z.string().min(1), z.string()),
    es: z.record(z.string().min(1), z.string()).optional(),
  }).strict(),
  /** General notes on stress, rhythm or pitch. */
  notes: z.array(LocalizedText).default([]),
}).strict().superRefine((file, ctx) => {
  for (const { path, missing } of missingLocales(file.sounds, file.locales)) {
    ctx.addIssue({
      code: "custom",
      path: ["sounds", ...path],
      message: `Missing translation for ${missing.join(", ")}`,
    });
  }
  for (const l of file.locales) {
    if (!file.respelling[l]) {
      ctx.addIssue({ code: "custom", path: ["respelling", l], message: `Missing ${l}` });
    }
  }
});
export type PronunciationFile = z.infer<typeof PronunciationFile>;
