/** Picking a learner's language for explanations and translations. */
import { LEARNER_LOCALES, type Locale, type LocalizedText } from "./content_schema.ts";

export type LocaleSource = "profile" | "accept-language" | "default";

/**
 * The learner's `native_language` when we have content in it, else the first
 * supported language of `Accept-Language` (by q-value), else English.
 */
export function chooseLocale(
  nativeLanguage: string | undefined,
  acceptLanguage: string | undefined,
): { locale: Locale; source: LocaleSource } {
  if (nativeLanguage && isLocale(nativeLanguage)) {
    return { locale: nativeLanguage, source: "profile" };
  }
  if (acceptLanguage) {
    const ranked = acceptLanguage.split(",").map((part, i) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: tag.trim().toLowerCase().split("-")[0], q: q ? Number(q.slice(2)) : 1, i };
    }).filter((r) => Number.isFinite(r.q) && r.q > 0)
      .sort((a, b) => b.q - a.q || a.i - b.i);
    const hit = ranked.find((r) => isLocale(r.lang));
    if (hit) return { locale: hit.lang as Locale, source: "accept-language" };
  }
  return { locale: "en", source: "default" };
}

export function isLocale(code: string): code is Locale {
  return (LEARNER_LOCALES as readonly string[]).includes(code);
}

/** The text in `locale`, falling back to English. */
export function localized(text: LocalizedText, locale: Locale): string;
export function localized(text: LocalizedText | null | undefined, locale: Locale): string | null;
export function localized(text: LocalizedText | null | undefined, locale: Locale): string | null {
  if (!text) return null;
  return text[locale] ?? text.en;
}
