/** `/api/content`: importing a whole content file, validated before anything is written. */
import { Hono } from "hono";
import { contentHash, storeContent } from "../db/content_store.ts";
import { ContentFile } from "../domain/content_schema.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";
import { requireRole } from "../http/session.ts";
import { validate } from "../http/validate.ts";

export const contentRoutes = new Hono<AppEnv>()
  .post(
    "/import",
    describe({
      summary: "Import a content file (same format as content/*.json; editor or admin)",
      description: "The whole file is validated first (fields, cross-references, translations); " +
        "a valid file is written in one atomic batch, an invalid one writes nothing.",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("json", ContentFile),
    async (c) => {
      const content = c.req.valid("json");
      const written = await storeContent(c.var.db, content, contentHash(content));
      return c.json({
        data: {
          language: content.language.code,
          written,
          courses: content.courses.length,
          lessons: content.courses.reduce((n, x) => n + x.lessons.length, 0),
          vocabulary: content.vocabulary.length,
          grammar_topics: content.grammar.length,
        },
      }, written ? 201 : 200);
    },
  );
