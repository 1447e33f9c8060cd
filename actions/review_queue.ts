/**
 * The learner's review queue: the words due now, most at risk of being forgotten
 * first, then new words up to what is left of the daily allowance, as prompts that
 * never include the translation.
 */
import { currentLanguageId } from "../db/catalog.ts";
import type { Db } from "../db/client.ts";
import { cardState, loadReviewQueue } from "../db/vocabulary_cards.ts";
import { startOfLocalDay } from "../domain/calendar.ts";
import {
  learnerSchedulerOptions,
  memoryView,
  newWordSlots,
  overdueDays,
  reviewOrder,
} from "../domain/spaced_repetition.ts";
import { exampleAudioUrl, wordAudioUrl } from "../http/content_views.ts";
import { languageIdOr404 } from "../http/lookups.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface ReviewQueueRequest {
  /** A language code or id; else the learner's current course's language. */
  language?: string;
  limit: number;
}

/** The language a learner is studying: the one asked for, else their current course's. */
export async function studyLanguage(db: Db, user: Learner, asked: string | undefined) {
  return (await languageIdOr404(db, asked)) ?? (await currentLanguageId(db, user.id)) ??
    user.targetLanguages[0] ?? null;
}

export async function reviewQueue(deps: ActionDeps, user: Learner, input: ReviewQueueRequest) {
  const { db, clock, config, locale } = deps;
  const now = clock.now();
  const languageId = await studyLanguage(db, user, input.language);
  const dailyLimit = user.preferences.daily_new_limit;
  const queue = await loadReviewQueue(db, {
    userId: user.id,
    now,
    dayStart: startOfLocalDay(now, user.timezone),
    languageId,
    limit: input.limit,
    newLimit: dailyLimit,
  });
  const options = learnerSchedulerOptions(user.preferences, config.FSRS_FUZZ, queue.parameters);
  const ordered = reviewOrder(
    queue.due.map((d) => ({ ...d, card: cardState(d.card) })),
    now,
    options,
  );
  const slots = newWordSlots({
    dailyLimit,
    introducedToday: queue.introducedToday,
    limit: input.limit,
    dueShown: ordered.length,
  });
  const fresh = queue.fresh.slice(0, slots.shown);
  const prompt = (w: (typeof queue.fresh)[number]) => ({
    vocabulary_id: w.id,
    word: w.word,
    reading: w.reading,
    romanization: w.romanization,
    ipa: w.ipa,
    part_of_speech: w.partOfSpeech,
    gender: w.gender,
    level: w.level,
    category: w.category,
    audio_url: wordAudioUrl(w),
    example: w.example.text,
    example_audio_url: exampleAudioUrl(w),
    prompt: {
      direction: "to_native" as const,
      text: w.word,
      instruction: locale === "es" ? "Escribe el significado" : "Type the meaning",
    },
  });
  return {
    data: [
      ...ordered.map((d) => ({
        ...prompt(d.word),
        kind: "review" as const,
        memory: memoryView(d.card, now, options),
        overdue_days: overdueDays(d.card, now),
      })),
      ...fresh.map((w) => ({
        ...prompt(w),
        kind: "new" as const,
        memory: null,
        overdue_days: 0,
      })),
    ],
    meta: {
      total: ordered.length + fresh.length,
      due: queue.dueCount,
      overdue: queue.overdueCount,
      new: fresh.length,
      new_remaining_today: slots.remainingToday,
      language_id: languageId,
    },
  };
}
