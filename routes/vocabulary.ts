/** `/api/vocabulary`: authoring of vocabulary items (learner routes join this group). */
import { Hono } from "hono";

import { findLanguage } from "../db/catalog.ts";
import {
  archiveOrDeleteVocabulary,
  insertVocabulary,
  updateVocabulary,
} from "../db/content_admin.ts";
import { VocabularyItem } from "../domain/content_schema.ts";
import type { AppEnv } from "../http/env.ts";
import { conflict, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam, LanguageParam } from "../http/queries.ts";
import { requireRole } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const NewWord = VocabularyItem.extend({ language: LanguageParam });
const WordPatch = VocabularyItem.omit({ word: true }).partial().strict();

export const vocabularyRoutes = new Hono<AppEnv>()
  .post(
    "/",
    describe({
      summary: "Create a vocabulary item (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("json", NewWord),
    async (c) => {
      const { language: code, ...item } = c.req.valid("json");
      const language = await findLanguage(c.var.db, code);
      if (!language) throw notFound(`Language ${code}`);
      const created = await insertVocabulary(c.var.db, language.id, item);
      if (created === "duplicate") throw conflict(`${item.word} already exists in this language`);
      return c.json({ data: created }, 201);
    },
  )
  .patch(
    "/:id",
    describe({
      summary: "Update a vocabulary item (editor or admin)",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    validate("json", WordPatch),
    async (c) => {
      const updated = await updateVocabulary(
        c.var.db,
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      if (!updated) throw notFound("Vocabulary item");
      return c.json({ data: updated });
    },
  )
  .delete(
    "/:id",
    describe({
      summary: "Delete a vocabulary item, or archive it when learners have reviewed it",
      tags: ["authoring"],
      auth: "editor",
    }),
    requireRole("editor", "admin"),
    validate("param", IdParam),
    async (c) => {
      const outcome = await archiveOrDeleteVocabulary(c.var.db, c.req.valid("param").id);
      if (outcome === "not_found") throw notFound("Vocabulary item");
      return c.json({ data: { id: c.req.valid("param").id, outcome } });
    },
  );
