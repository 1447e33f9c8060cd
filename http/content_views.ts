/**
 * JSON views of content rows in the learner's language. Views of exercises
 * never include answers: those leave the server only from the endpoints that
 * check an answer.
 */
import type { Locale, LocalizedText } from "../domain/content_schema.ts";
import { computedDifficulty } from "../domain/content_difficulty.ts";
import { localized } from "../domain/localize.ts";
import type {
  courses,
  grammarExercises,
  grammarTopics,
  languages,
  vocabulary,
} from "../db/schema.ts";

type LanguageRow = typeof languages.$inferSelect;
type CourseRow = typeof courses.$inferSelect;
type WordRow = typeof vocabulary.$inferSelect;
type TopicRow = typeof grammarTopics.$inferSelect;
type ExerciseRow = typeof grammarExercises.$inferSelect;

/** The URL a word, lesson or example uses to point at a recording. */
export function audioUrl(id: string): string {
  return `/api/audio/${id}`;
}

/** A word's recording: an editor's upload, else its synthesised reference. */
export function wordAudioUrl(w: { audioId: string | null; speechAudioId: string | null }) {
  const id = w.audioId ?? w.speechAudioId;
  return id ? audioUrl(id) : null;
}

/** The example sentence's synthesised reference. */
export function exampleAudioUrl(w: { exampleAudioId: string | null }) {
  return w.exampleAudioId ? audioUrl(w.exampleAudioId) : null;
}

/** An example sentence's synthesised reference, from its owner's `example_audio` map. */
export function sentenceAudioUrl(map: Record<string, string> | null, text: string) {
  const id = map?.[text];
  return id ? audioUrl(id) : null;
}

const DIFFICULTY_LABELS = ["", "easiest", "easy", "moderate", "hard", "hardest"];

export function languageView(l: LanguageRow, locale: Locale) {
  return {
    id: l.id,
    code: l.code,
    name: localized(l.name, locale),
    native_name: l.nativeName,
    description: localized(l.description, locale),
    difficulty: l.difficulty,
    difficulty_label: DIFFICULTY_LABELS[l.difficulty] ?? null,
    fsi_category: l.fsiCategory,
    fsi_hours: l.fsiHours,
    script: l.script,
    tts_lang: l.ttsLang,
    has_gender: l.hasGender,
    explained_in: l.locales,
  };
}

export function courseView(c: CourseRow, language: LanguageRow, locale: Locale) {
  return {
    id: c.id,
    language: { id: language.id, code: language.code, name: localized(language.name, locale) },
    level: c.level,
    title: localized(c.title, locale),
    description: localized(c.description, locale),
    difficulty: language.difficulty,
    estimated_hours: c.estimatedHours,
    prerequisite_id: c.prerequisiteId,
    status: c.status,
  };
}

export function wordView(
  w: WordRow,
  locale: Locale,
  stats?: { attempts: number; errors: number },
) {
  return {
    id: w.id,
    word: w.word,
    reading: w.reading,
    romanization: w.romanization,
    translation: localized(w.translation, locale),
    part_of_speech: w.partOfSpeech,
    gender: w.gender,
    plural: w.plural,
    ipa: w.ipa,
    example: {
      text: w.example.text,
      translation: localized(w.example.translation, locale),
      reading: w.example.reading ?? null,
      romanization: w.example.romanization ?? null,
      audio_url: exampleAudioUrl(w),
    },
    level: w.level,
    category: w.category,
    notes: localized(w.notes, locale),
    audio_url: wordAudioUrl(w),
    difficulty: computedDifficulty({
      level: w.level,
      frequencyRank: w.frequencyRank,
      length: [...w.word].length,
      attempts: stats?.attempts,
      errors: stats?.errors,
    }),
  };
}

export function topicSummaryView(t: TopicRow, locale: Locale) {
  return {
    id: t.id,
    language_id: t.languageId,
    level: t.level,
    title: localized(t.title, locale),
    summary: localized(t.summary, locale),
  };
}

/** An exercise as the learner sees it: the prompt, never `answer` or `accepted`. */
export function exerciseView(e: ExerciseRow, locale: Locale) {
  const p = e.prompt;
  return {
    id: e.id,
    topic_id: e.topicId,
    type: e.type,
    instruction: localized(p.instruction, locale),
    ...(p.question !== undefined ? { question: p.question } : {}),
    ...(p.translation ? { translation: localized(p.translation, locale) } : {}),
    ...(p.options ? { options: p.options } : {}),
    ...(p.words ? { words: p.words } : {}),
    ...(p.verb ? { verb: p.verb, person: p.person, tense: p.tense } : {}),
    ...(p.hint ? { hint: localized(p.hint, locale) } : {}),
  };
}

/** A lesson in a course's list, with the learner's status and best score. */
export function lessonListView(
  l: {
    id: string;
    position: number;
    type: string;
    title: LocalizedText;
    summary: LocalizedText;
    estimatedMinutes: number;
  },
  status: { status: string; reason?: unknown },
  bestScore: number | null,
  locale: Locale,
) {
  return {
    id: l.id,
    position: l.position,
    type: l.type,
    title: localized(l.title, locale),
    summary: localized(l.summary, locale),
    estimated_minutes: l.estimatedMinutes,
    status: status.status,
    best_score: bestScore,
    ...(status.reason ? { locked_reason: status.reason } : {}),
  };
}
