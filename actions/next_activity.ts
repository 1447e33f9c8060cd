/**
 * The learner's best next step with a machine reason and a localised sentence:
 * reviews at risk, the lesson in progress, a weak grammar topic, or a course to
 * start (see `nextActivity` for the priority order). One read round trip.
 */
import { loadNextActivity } from "../db/adaptive_learning.ts";
import { cardState } from "../db/vocabulary_cards.ts";
import { nextActivity, suggestedCourse } from "../domain/learning_path.ts";
import { localized } from "../domain/localize.ts";
import { learnerSchedulerOptions, retrievability } from "../domain/spaced_repetition.ts";
import type { ActionDeps, Learner } from "./deps.ts";

/** How far back recent grammar errors count for the weak-topic suggestion. */
export const WEAK_TOPIC_DAYS = 14;
/** Due cards read for the at-risk count (bounds the work on huge backlogs). */
const DUE_WINDOW = 200;

export async function suggestNextActivity(deps: ActionDeps, user: Learner) {
  const { db, clock, locale, config } = deps;
  const now = clock.now();
  const loaded = await loadNextActivity(db, {
    userId: user.id,
    now,
    since: new Date(now.getTime() - WEAK_TOPIC_DAYS * 86_400_000),
    dueLimit: DUE_WINDOW,
  });
  const options = learnerSchedulerOptions(user.preferences, config.FSRS_FUZZ, loaded.parameters);
  const recent = loaded.enrolments[0] ?? null;
  const nextLesson = loaded.courseLessons.find((l) => l.status === "available") ?? null;
  const placement = loaded.placements[0] ?? null;
  const suggested = suggestedCourse(
    loaded.courses,
    recent ? { courseId: recent.course.id, completed: !!recent.progress.completedAt } : null,
    placement,
    user.targetLanguages[0] ?? null,
  );
  const decision = nextActivity({
    dueRetrievabilities: loaded.due.map((d) => retrievability(cardState(d), now, options)),
    currentCourse: recent
      ? {
        id: recent.course.id,
        title: localized(recent.course.title, locale),
        nextLesson: nextLesson
          ? { id: nextLesson.id, title: localized(nextLesson.title, locale) }
          : null,
      }
      : null,
    weakTopics: loaded.weak.map((w) => ({
      id: w.topic.id,
      title: localized(w.topic.title, locale),
      errors: Number(w.errors),
    })),
    suggestedCourse: suggested
      ? {
        id: suggested.id,
        title: localized(suggested.title, locale),
        enrolled: loaded.enrolments.some((e) => e.course.id === suggested.id),
      }
      : null,
    placed: placement !== null,
  });
  return { ...decision, message: localized(decision.message, locale) };
}
