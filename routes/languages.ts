/** `/api/languages`: the target languages on offer. */
import { Hono } from "hono";
import { z } from "zod";
import { listLanguages } from "../db/catalog.ts";
import { isLocale } from "../domain/localize.ts";
import { languageView } from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { validate } from "../http/validate.ts";

const LanguagesQuery = z.object({
  /** Only languages explained in this learner language; defaults to the learner's own. */
  native_language: z.string().regex(/^[a-z]{2}$/).optional(),
  all: z.enum(["true", "false"]).optional(),
}).strict();

export const languagesRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      summary: "Target languages with difficulty, course counts and active learners",
      description:
        "Signed-in learners see the languages whose content is explained in their native language; " +
        "`native_language` filters explicitly, `all=true` lists every language.",
      tags: ["curriculum"],
      auth: "optional",
    }),
    validate("query", LanguagesQuery),
    async (c) => {
      const query = c.req.valid("query");
      const native = query.native_language ?? c.var.user?.nativeLanguage;
      const filterFor = query.all === "true"
        ? undefined
        : native && isLocale(native)
        ? native
        : undefined;
      const rows = await listLanguages(c.var.db, c.var.clock.now());
      const data = rows
        .filter((r) =>
          !filterFor || (r.language.locales.includes(filterFor) && r.language.code !== filterFor)
        )
        .map((r) => ({
          ...languageView(r.language, c.var.locale),
          course_count: Number(r.courseCount),
          active_learners: Number(r.activeLearners),
        }));
      return c.json({
        data,
        meta: { total: data.length, explained_in: filterFor ?? null, locale: c.var.locale },
      });
    },
  );
