/**
 * `/api/placement`: the computerised adaptive placement test. Start (or resume)
 * a test in a language, answer the current item, read the state. Items never
 * carry their answers; an answer to anything but the current item is refused.
 * Finishing places the learner at a CEFR level, a course and a lesson, and a
 * placement at a course's level satisfies that course's prerequisite.
 */
import { Hono } from "hono";
import { z } from "zod";
import { loadPlacement } from "../db/adaptive_learning.ts";
import { languageBank, PLACEMENT_RULES } from "../domain/placement.ts";
import type { AppEnv } from "../http/env.ts";
import { notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";
import { itemView, type PlacementBank, testView } from "../http/placement_views.ts";
import { answerPlacement } from "../actions/answer_placement.ts";
import { startPlacement } from "../actions/start_placement.ts";

const StartBody = z.object({ language: LanguageParam }).strict();
const AnswerBody = z.object({
  item_id: z.string().min(1).max(200),
  answer: z.union([z.string().max(500), z.array(z.string().max(100)).max(50)]),
}).strict();

export const placementRoutes = new Hono<AppEnv>()
  .post(
    "/start",
    describe({
      summary: "Start a placement test in a language, or resume the one in progress",
      description:
        "A computerised adaptive test over the language's words and grammar exercises: each " +
        "item is the most informative at the current ability estimate. Answer with " +
        "`POST /api/placement/{id}/answer`.",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "Resumed", 201: "Started", 404: "Unknown language" },
    }),
    requireUser,
    validate("json", StartBody),
    async (c) => {
      const { test, started } = await startPlacement(c.var, currentUser(c), c.req.valid("json"));
      return c.json({ data: test }, started ? 201 : 200);
    },
  )
  .get(
    "/:id",
    describe({
      summary: "A placement test: progress, estimate, the current item or the placement",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "The test", 404: "Unknown test" },
    }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      const { db, locale } = c.var;
      const user = currentUser(c);
      const loaded = await loadPlacement(db, user.id, c.req.valid("param").id);
      if (!loaded) throw notFound("Placement test");
      const bank: PlacementBank = languageBank(loaded);
      const current = loaded.test.status === "in_progress"
        ? bank.items.find((i) => i.id === loaded.test.currentItemId)
        : undefined;
      return c.json({ data: testView(loaded.test, current ? itemView(current, locale) : null) });
    },
  )
  .post(
    "/:id/answer",
    describe({
      summary: "Answer the current item; returns the next one or the placement",
      description: "The test stops when the ability estimate's standard error is below " +
        `${PLACEMENT_RULES.targetStandardError}, when the level can no longer change, or after ` +
        `${PLACEMENT_RULES.maxItems} items (at least ${PLACEMENT_RULES.minItems}). An answer to ` +
        "an item other than the current one is refused with 409.",
      tags: ["adaptive"],
      auth: "user",
      responses: { 200: "Recorded", 404: "Unknown test", 409: "Not the current item, or finished" },
    }),
    requireUser,
    validate("param", IdParam),
    validate("json", AnswerBody),
    async (c) => {
      const body = c.req.valid("json");
      const result = await answerPlacement(c.var, currentUser(c), {
        testId: c.req.valid("param").id,
        itemId: body.item_id,
        answer: body.answer,
      });
      return c.json({ data: result });
    },
  );
