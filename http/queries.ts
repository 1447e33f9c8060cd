/** Query-string schemas shared by list endpoints. */
import { z } from "zod";
import { CEFR_LEVELS } from "../domain/content_schema.ts";

export const Pagination = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

/** A language named by ISO 639-1 code or id. */
export const LanguageParam = z.string().trim().min(2).max(32).regex(/^[A-Za-z0-9_-]+$/);

export const LevelParam = z.enum(CEFR_LEVELS);

/** A path id: short, printable, no slashes. */
export const IdParam = z.object({
  id: z.string().min(1).max(128).regex(/^[\w.-]+$/, "Not a valid id"),
});
