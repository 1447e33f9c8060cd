/**
 * `/api/learn`: adaptive guidance. `next` is the learner's best next step with a
 * reason; `path` marks each lesson of a course skip / review / learn from
 * placement and mastery; `practice` is an adaptive set of grammar exercises and
 * new words whose predicted success is closest to the learner's target rate
 * (the one endpoint that applies adaptive selection).
 */
import { Hono } from "hono";
import { z } from "zod";
import { coursePath } from "../actions/course_path.ts";
import { suggestNextActivity, WEAK_TOPIC_DAYS } from "../actions/next_activity.ts";
import { PER_TOPIC, practiceSet } from "../actions/practice_set.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const PathQuery = z.object({ course_id: IdParam.shape.id }).strict();
const PracticeQuery = z.object({
  language: LanguageParam.optional(),
  size: z.coerce.number().int().min(1).max(30).default(10),
}).strict();

export const learnRoutes = new Hono<AppEnv>()
  .get(
    "/next",
    describe({
      summary: "The learner's best next step, with a machine reason and a sentence",
      description:
        "In priority order: due reviews at risk of being forgotten (recall probability under " +
        "85%), the next available lesson of the most recent course, the grammar topic with the " +
        `most mistakes in the last ${WEAK_TOPIC_DAYS} days, then a course to start.`,
      tags: ["adaptive"],
      auth: "user",
    }),
    requireUser,
    async (c) => c.json({ data: await suggestNextActivity(c.var, currentUser(c)) }),
  )
  .get(
    "/path",
    describe({
      summary: "A personalised path through a course: each lesson marked skip, review or learn",
      description:
        "A lesson is skipped when it is completed, when a finished placement test placed the " +
        "learner beyond it, or when the learner's ability (10+ answers) predicts 80% success on " +
        "its words and exercises. Attempted but unmastered lessons are `review`, the rest `learn`.",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "The path", 404: "Unknown course" },
    }),
    requireUser,
    validate("query", PathQuery),
    async (c) => {
      const path = await coursePath(c.var, currentUser(c), {
        courseId: c.req.valid("query").course_id,
      });
      return c.json({ data: path });
    },
  )
  .get(
    "/practice",
    describe({
      summary: "An adaptive practice set: exercises and new words at the learner's target success",
      description:
        "Grammar exercises and words the learner has not started, chosen so that the model's " +
        "predicted success is closest to `target_success_rate` (preference, 0.70–0.95, default " +
        `0.80); at most ${PER_TOPIC} exercises per topic; easiest first. Never includes answers. ` +
        "Answer " +
        "exercises with `POST /api/grammar/{topic_id}/exercise` and words with " +
        "`POST /api/vocabulary/{id}/practice`; each answer updates the model.",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "The set", 404: "Unknown language" },
    }),
    requireUser,
    validate("query", PracticeQuery),
    async (c) => {
      const { items, meta } = await practiceSet(c.var, currentUser(c), c.req.valid("query"));
      return c.json({ data: items, meta });
    },
  );
