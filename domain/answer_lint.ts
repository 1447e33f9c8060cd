/**
 * Finds accepted answers that look like typos in the content, so that a slip such
 * as "Iam an office worker." is not taught as right. Two patterns, both cheap and
 * rarely wrong: a subject pronoun glued to the verb after it ("Iam", "Ichbin",
 * "Jesuis") and the same word twice in a row ("the the"). Orders where a doubled
 * word is grammatical ("nous nous levons") are listed per language.
 */
import type { ContentFile } from "./content_schema.ts";
import type { TranslationFile } from "./practice_content_schema.ts";

/** Subject pronouns and the common verbs that follow them, per language. */
const GLUED: Record<string, { pronouns: string[]; verbs: string[] }> = {
  en: {
    pronouns: ["i", "you", "he", "she", "it", "we", "they"],
    verbs: ["am", "are", "is", "was", "were", "have", "has", "had", "do", "does", "did", "will"],
  },
  es: {
    pronouns: [
      "yo",
      "tú",
      "tu",
      "él",
      "ella",
      "nosotros",
      "vosotros",
      "ellos",
      "ellas",
      "usted",
      "ustedes",
    ],
    verbs: ["soy", "eres", "es", "somos", "sois", "son", "estoy", "está", "tengo", "tiene"],
  },
  fr: {
    pronouns: ["je", "j", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles"],
    verbs: ["suis", "es", "est", "sommes", "êtes", "sont", "ai", "as", "avons", "avez", "ont"],
  },
  de: {
    pronouns: ["ich", "du", "er", "sie", "es", "wir", "ihr"],
    verbs: ["bin", "bist", "ist", "sind", "seid", "habe", "hast", "hat", "haben", "habt"],
  },
  it: {
    pronouns: ["io", "tu", "lui", "lei", "noi", "voi", "loro"],
    verbs: ["sono", "sei", "è", "siamo", "siete", "ho", "hai", "ha", "abbiamo", "avete", "hanno"],
  },
  pt: {
    pronouns: ["eu", "tu", "ele", "ela", "nós", "vocês", "você", "eles", "elas"],
    verbs: ["sou", "és", "é", "somos", "são", "estou", "está", "tenho", "tens", "tem", "temos"],
  },
};

/** Doubled words that are grammatical in a language (lowercase, space-separated). */
const GRAMMATICAL_DOUBLES: Record<string, string[]> = {
  fr: ["nous nous", "vous vous"],
  en: ["had had", "that that"],
};

/** What looks wrong about one accepted answer in `language` (none when it looks fine). */
export function answerTypos(text: string, language: string): string[] {
  const words = text.normalize("NFC").toLowerCase().split(/[^\p{L}\p{M}]+/u).filter(Boolean);
  const problems: string[] = [];
  const glued = GLUED[language];
  if (glued) {
    for (const w of words) {
      // A pronoun that contains another one plus a verb form is still a pronoun (ustedes).
      const pronoun = !glued.pronouns.includes(w) &&
        glued.pronouns.find((p) => w.startsWith(p) && glued.verbs.includes(w.slice(p.length)));
      if (pronoun) problems.push(`"${w}" looks like "${pronoun} ${w.slice(pronoun.length)}"`);
    }
  }
  const allowed = GRAMMATICAL_DOUBLES[language] ?? [];
  for (let i = 1; i < words.length; i++) {
    if (words[i] === words[i - 1] && !allowed.includes(`${words[i]} ${words[i]}`)) {
      problems.push(`"${words[i]}" twice in a row`);
    }
  }
  return problems;
}

export interface AnswerProblem {
  /** Where the answer is, as a dotted path into the file. */
  field: string;
  text: string;
  problem: string;
}

function check(field: string, text: string, language: string): AnswerProblem[] {
  return answerTypos(text, language).map((problem) => ({ field, text, problem }));
}

/** Typo-like answers in a curriculum file: grammar answers, word translations and alternatives. */
export function contentAnswerProblems(file: ContentFile): AnswerProblem[] {
  const code = file.language.code;
  const out: AnswerProblem[] = [];
  file.grammar.forEach((g, gi) =>
    g.exercises.forEach((e, ei) => {
      const at = `grammar.${gi}.exercises.${ei}`;
      out.push(...check(`${at}.answer`, e.answer, code));
      (e.accepted ?? []).forEach((a, ai) => out.push(...check(`${at}.accepted.${ai}`, a, code)));
    })
  );
  file.vocabulary.forEach((v, vi) => {
    for (const [locale, text] of Object.entries(v.translation)) {
      if (text) out.push(...check(`vocabulary.${vi}.translation.${locale}`, text, locale));
    }
    for (const [locale, list] of Object.entries(v.alternatives ?? {})) {
      (list ?? []).forEach((a, ai) =>
        out.push(...check(`vocabulary.${vi}.alternatives.${locale}.${ai}`, a, locale))
      );
    }
  });
  return out;
}

/** Typo-like answers in a translation file, in the language each is written in. */
export function translationAnswerProblems(file: TranslationFile): AnswerProblem[] {
  const out: AnswerProblem[] = [];
  file.exercises.forEach((e, i) => {
    const at = `exercises.${i}.accepted`;
    if (e.direction === "to_target") {
      e.accepted.forEach((a, ai) => out.push(...check(`${at}.${ai}`, a, file.language)));
    } else {
      for (const [locale, list] of Object.entries(e.accepted)) {
        (list ?? []).forEach((a, ai) => out.push(...check(`${at}.${locale}.${ai}`, a, locale)));
      }
    }
  });
  return out;
}
