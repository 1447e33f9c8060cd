/** Lookups that answer 404 in the envelope when what a request names does not exist. */
import { findLanguage } from "../db/catalog.ts";
import type { Db } from "../db/client.ts";
import { notFound } from "./errors.ts";

/** The id of the language a `?language=` names (code or id); none asked, none returned. */
export async function languageIdOr404(db: Db, codeOrId: string | undefined) {
  return codeOrId ? (await languageOr404(db, codeOrId)).id : undefined;
}

/** The language named by ISO code or id, or a 404 naming it. */
export async function languageOr404(db: Db, codeOrId: string) {
  const language = await findLanguage(db, codeOrId);
  if (!language) throw notFound(`Language ${codeOrId}`);
  return language;
}
