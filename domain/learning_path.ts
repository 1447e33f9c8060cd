/**
 * What a learner should do next, and a personalised path through a course.
 * Pure decisions over state the route loads: no clock or database here.
 */
import type { LocalizedText } from "./content_schema.ts";
import { CEFR_LEVELS } from "./content_schema.ts";
import { KNOWN_SUCCESS, lessonPredictedSuccess } from "./placement.ts";

// ---------------------------------------------------------------- next activity

/** Recall probability under which a due word counts as at risk. */
export const AT_RISK_RETRIEVABILITY = 0.85;

export interface NextActivityInput {
  /** Retrievability of each due card (only due cards). */
  dueRetrievabilities: readonly number[];
  /** The most recent course, with its first available, not completed lesson. */
  currentCourse: {
    id: string;
    title: string;
    nextLesson: { id: string; title: string } | null;
  } | null;
  /** Grammar topics with recent errors, most frequent first. */
  weakTopics: readonly { id: string; title: string; errors: number }[];
  /** A course to move on to (the next level, or a first course), if any. */
  suggestedCourse: { id: string; title: string; enrolled: boolean } | null;
  /** The learner has a finished placement test in the language. */
  placed: boolean;
}

export type NextActivity =
  | { kind: "review"; reason: "reviews_at_risk"; count: number; message: LocalizedText }
  | {
    kind: "lesson";
    reason: "continue_lesson";
    course_id: string;
    lesson_id: string;
    message: LocalizedText;
  }
  | {
    kind: "grammar";
    reason: "weak_grammar_topic";
    topic_id: string;
    errors: number;
    message: LocalizedText;
  }
  | {
    kind: "course";
    reason: "start_next_course" | "enrol_suggestion";
    course_id: string;
    message: LocalizedText;
  }
  | { kind: "placement"; reason: "no_course"; message: LocalizedText };

/**
 * The best next step, in priority order: reviews about to be forgotten, the
 * lesson in progress, the grammar topic with most recent errors, then a new
 * course (the next one, or a first one with a placement test offered).
 */
export function nextActivity(input: NextActivityInput): NextActivity {
  const atRisk = input.dueRetrievabilities.filter((r) => r < AT_RISK_RETRIEVABILITY).length;
  if (atRisk > 0) {
    return {
      kind: "review",
      reason: "reviews_at_risk",
      count: atRisk,
      message: {
        en: `${atRisk} word${atRisk === 1 ? " is" : "s are"} about to be forgotten: review ${
          atRisk === 1 ? "it" : "them"
        } now.`,
        es: `${atRisk} palabra${atRisk === 1 ? " está" : "s están"} a punto de olvidarse: repásala${
          atRisk === 1 ? "" : "s"
        } ahora.`,
      },
    };
  }
  const course = input.currentCourse;
  if (course?.nextLesson) {
    return {
      kind: "lesson",
      reason: "continue_lesson",
      course_id: course.id,
      lesson_id: course.nextLesson.id,
      message: {
        en: `Continue ${course.title} with "${course.nextLesson.title}".`,
        es: `Sigue con ${course.title}: «${course.nextLesson.title}».`,
      },
    };
  }
  const weak = input.weakTopics[0];
  if (weak) {
    return {
      kind: "grammar",
      reason: "weak_grammar_topic",
      topic_id: weak.id,
      errors: weak.errors,
      message: {
        en: `Practise ${weak.title}: ${weak.errors} recent mistake${
          weak.errors === 1 ? "" : "s"
        } were about it.`,
        es: `Practica ${weak.title}: ${weak.errors} error${weak.errors === 1 ? "" : "es"} reciente${
          weak.errors === 1 ? "" : "s"
        } fueron sobre esto.`,
      },
    };
  }
  const suggested = input.suggestedCourse;
  if (suggested) {
    return {
      kind: "course",
      reason: course ? "start_next_course" : "enrol_suggestion",
      course_id: suggested.id,
      message: course
        ? {
          en: `You finished ${course.title}. Start ${suggested.title} next.`,
          es: `Terminaste ${course.title}. Empieza ahora ${suggested.title}.`,
        }
        : {
          en: `Start with ${suggested.title}${
            input.placed ? "" : ", or take the placement test to skip what you know"
          }.`,
          es: `Empieza con ${suggested.title}${
            input.placed ? "" : ", o haz la prueba de nivel para saltar lo que ya sabes"
          }.`,
        },
    };
  }
  return {
    kind: "placement",
    reason: "no_course",
    message: {
      en: "Choose a language and take the placement test to find your level.",
      es: "Elige un idioma y haz la prueba de nivel para saber tu nivel.",
    },
  };
}

/** The fields of a course that decide which one to suggest. */
export interface CourseChoice {
  id: string;
  languageId: string;
  level: string;
  prerequisiteId: string | null;
}

/**
 * The course to suggest: once the most recent course is completed, the one that
 * requires it; with no course yet, the placed course, else the first course of
 * the placed language or of the learner's first target language. While the
 * most recent course is unfinished, none.
 */
export function suggestedCourse<C extends CourseChoice>(
  courses: readonly C[],
  recent: { courseId: string; completed: boolean } | null,
  placement: { languageId: string; level: string | null } | null,
  targetLanguageId: string | null,
): C | null {
  if (recent) {
    return recent.completed
      ? courses.find((c) => c.prerequisiteId === recent.courseId) ?? null
      : null;
  }
  const languageId = placement?.languageId ?? targetLanguageId;
  const ofLanguage = courses.filter((c) => c.languageId === languageId);
  return ofLanguage.find((c) => c.level === placement?.level) ?? ofLanguage[0] ?? null;
}

// ---------------------------------------------------------------- personalised path

/** Answers on a skill before ability alone is trusted to skip a lesson. */
export const MIN_EVIDENCE_TO_SKIP = 10;

export interface PathLessonInput {
  id: string;
  position: number;
  /** Model difficulties of the lesson's words and exercises. */
  difficulties: readonly number[];
  /** The learner's ability on the skill the lesson trains. */
  ability: { theta: number; evidence: number } | null;
  completed: boolean;
  /** Best score so far (null: never attempted). */
  bestScore: number | null;
}

export type PathAction = "skip" | "review" | "learn";
export type PathReason =
  | "completed"
  | "completed_but_predicted_weak"
  | "placed_beyond"
  | "ability_exceeds_content"
  | "attempted_not_mastered"
  | "new_content";

export interface PathStep {
  lesson_id: string;
  action: PathAction;
  reason: PathReason;
  predicted_success: number | null;
}

/**
 * Marks each lesson of a course. `placement` says where a finished placement
 * put the learner relative to this course: `beyond` (placed at a later
 * course), `at` a lesson of this course (earlier lessons are known), or none.
 */
export function personalisedPath(
  lessons: readonly PathLessonInput[],
  placement: { beyond: boolean; atLessonPosition: number | null } | null,
): PathStep[] {
  return lessons.map((l) => {
    const trusted = l.ability !== null && l.ability.evidence >= MIN_EVIDENCE_TO_SKIP;
    const predicted = l.ability ? lessonPredictedSuccess(l.ability.theta, l.difficulties) : null;
    const rounded = predicted === null ? null : Math.round(predicted * 1000) / 1000;
    const step = (action: PathAction, reason: PathReason): PathStep => ({
      lesson_id: l.id,
      action,
      reason,
      predicted_success: rounded,
    });
    if (l.completed) {
      return trusted && predicted !== null && predicted < KNOWN_SUCCESS
        ? step("review", "completed_but_predicted_weak")
        : step("skip", "completed");
    }
    if (
      placement &&
      (placement.beyond ||
        (placement.atLessonPosition !== null && l.position < placement.atLessonPosition))
    ) {
      return step("skip", "placed_beyond");
    }
    if (trusted && predicted !== null && predicted >= KNOWN_SUCCESS) {
      return step("skip", "ability_exceeds_content");
    }
    if (l.bestScore !== null) return step("review", "attempted_not_mastered");
    return step("learn", "new_content");
  });
}

/** Rank of a CEFR level (−1 when unknown). */
export function levelRank(level: string | null | undefined): number {
  return level ? (CEFR_LEVELS as readonly string[]).indexOf(level) : -1;
}

/** How many lessons of a path are skipped, reviewed and learned. */
export function pathSummary(steps: readonly PathStep[]): Record<PathAction, number> {
  const count = (action: PathAction) => steps.filter((s) => s.action === action).length;
  return { skip: count("skip"), review: count("review"), learn: count("learn") };
}
