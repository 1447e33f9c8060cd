/**
 * Writing assessment for short free-text answers: rule-based checks that are
 * reliable enough to state as errors — article/noun gender agreement for nouns
 * the curriculum knows, subject/verb agreement for the most common verbs, German
 * noun capitalisation, missing accents on known words — plus whether the
 * expected words were used. It does not judge meaning, style, tense choice or
 * anything outside those rules, and says so.
 */
import { answerKey, stripLatinAccents } from "./answer_matching.ts";
import type { LocalizedText } from "./content_schema.ts";

export interface KnownWord {
  word: string;
  gender: string | null;
  partOfSpeech: string;
}

export interface WritingIssue {
  type: "gender_article" | "verb_form" | "capitalization" | "accent";
  excerpt: string;
  suggestion: string;
  message: LocalizedText;
}

/** Article → genders it can go with (singular nouns), per language. */
const ARTICLES: Record<string, Record<string, string[]>> = {
  es: { el: ["m"], la: ["f"], un: ["m"], una: ["f"] },
  fr: { le: ["m"], la: ["f"], un: ["m"], une: ["f"] },
  it: { il: ["m"], lo: ["m"], la: ["f"], un: ["m"], uno: ["m"], una: ["f"] },
  pt: { o: ["m"], a: ["f"], um: ["m"], uma: ["f"] },
  // German depends on case; these are the pairings no case allows for a singular noun.
  de: { das: ["n"], die: ["f"], der: ["m", "f"], ein: ["m", "n"], eine: ["f"] },
};
const ARTICLE_FOR: Record<string, Record<string, string>> = {
  es: { m: "el/un", f: "la/una" },
  fr: { m: "le/un", f: "la/une" },
  it: { m: "il/lo/un", f: "la/una" },
  pt: { m: "o/um", f: "a/uma" },
  de: { m: "der/ein", f: "die/eine", n: "das/ein" },
};

/** Subject pronoun → the present-tense forms of key verbs it takes. */
const VERBS: Record<string, Record<string, string[][]>> = {
  es: {
    yo: [["soy", "estoy", "tengo", "voy"]],
    "tú": [["eres", "estás", "tienes", "vas"]],
    "él": [["es", "está", "tiene", "va"]],
    ella: [["es", "está", "tiene", "va"]],
    usted: [["es", "está", "tiene", "va"]],
    nosotros: [["somos", "estamos", "tenemos", "vamos"]],
    nosotras: [["somos", "estamos", "tenemos", "vamos"]],
    vosotros: [["sois", "estáis", "tenéis", "vais"]],
    ellos: [["son", "están", "tienen", "van"]],
    ellas: [["son", "están", "tienen", "van"]],
    ustedes: [["son", "están", "tienen", "van"]],
  },
  fr: {
    je: [["suis", "ai", "vais"]], // "ai" keeps the columns aligned (written j'ai)
    tu: [["es", "as", "vas"]],
    il: [["est", "a", "va"]],
    elle: [["est", "a", "va"]],
    on: [["est", "a", "va"]],
    nous: [["sommes", "avons", "allons"]],
    vous: [["êtes", "avez", "allez"]],
    ils: [["sont", "ont", "vont"]],
    elles: [["sont", "ont", "vont"]],
  },
  it: {
    io: [["sono", "ho", "vado"]],
    tu: [["sei", "hai", "vai"]],
    lui: [["è", "ha", "va"]],
    lei: [["è", "ha", "va"]],
    noi: [["siamo", "abbiamo", "andiamo"]],
    voi: [["siete", "avete", "andate"]],
    loro: [["sono", "hanno", "vanno"]],
  },
  pt: {
    eu: [["sou", "estou", "tenho", "vou"]],
    tu: [["és", "estás", "tens", "vais"]],
    ele: [["é", "está", "tem", "vai"]],
    ela: [["é", "está", "tem", "vai"]],
    "você": [["é", "está", "tem", "vai"]],
    "nós": [["somos", "estamos", "temos", "vamos"]],
    eles: [["são", "estão", "têm", "vão"]],
    elas: [["são", "estão", "têm", "vão"]],
    "vocês": [["são", "estão", "têm", "vão"]],
  },
  de: {
    ich: [["bin", "habe"]],
    du: [["bist", "hast"]],
    er: [["ist", "hat"]],
    es: [["ist", "hat"]],
    sie: [["ist", "hat", "sind", "haben"]],
    wir: [["sind", "haben"]],
    ihr: [["seid", "habt"]],
  },
};

export const LIMITATIONS: LocalizedText = {
  en:
    "Checked: article and noun gender for words in the course, the forms of the most common verbs " +
    "after a subject pronoun, German noun capitals, missing accents on known words, and the expected words. " +
    "Not checked: meaning, tense choice, word order, style, and words the course does not teach.",
  es:
    "Se revisa: el género de artículo y sustantivo para palabras del curso, las formas de los verbos " +
    "más comunes tras un pronombre sujeto, las mayúsculas de los sustantivos alemanes, las tildes que faltan " +
    "en palabras conocidas y las palabras esperadas. No se revisa: el sentido, la elección del tiempo verbal, " +
    "el orden de las palabras, el estilo ni las palabras que el curso no enseña.",
};

function tokens(text: string): { raw: string; key: string }[] {
  return text.split(/[\s.,;:!?¿¡"«»()]+/).filter(Boolean).map((raw) => ({
    raw,
    key: answerKey(raw),
  }));
}

/** Checks a short text written in `language`. */
export function checkWriting(
  language: string,
  text: string,
  known: readonly KnownWord[],
  expectedWords: readonly string[] = [],
) {
  const words = tokens(text);
  const byKey = new Map(known.map((k) => [answerKey(k.word), k]));
  const byPlain = new Map(known.map((k) => [stripLatinAccents(answerKey(k.word)), k]));
  const issues: WritingIssue[] = [];
  const articles = ARTICLES[language] ?? {};
  const verbs = VERBS[language] ?? {};

  words.forEach((w, i) => {
    const next = words[i + 1];
    // Article + noun gender.
    const allowed = articles[w.key];
    const noun = next ? byKey.get(next.key) : undefined;
    if (allowed && noun?.partOfSpeech === "noun" && noun.gender && !allowed.includes(noun.gender)) {
      // Spanish feminine nouns starting with stressed a take "el" (el agua).
      const stressedA = language === "es" && w.key === "el" && /^h?[aá]/.test(next!.key);
      if (!stressedA) {
        const right = ARTICLE_FOR[language]?.[noun.gender] ?? "";
        issues.push({
          type: "gender_article",
          excerpt: `${w.raw} ${next!.raw}`,
          suggestion: right,
          message: {
            en: `"${noun.word}" is ${genderName(noun.gender, "en")}: use ${right}.`,
            es: `«${noun.word}» es ${genderName(noun.gender, "es")}: usa ${right}.`,
          },
        });
      }
    }
    // Subject pronoun + verb form.
    const forms = verbs[w.key];
    if (forms && next) {
      const allForms = new Set(Object.values(verbs).flat(2).map((f) => answerKey(f)));
      const mine = new Set(forms.flat().map((f) => answerKey(f)));
      if (allForms.has(next.key) && !mine.has(next.key)) {
        const column = Object.values(verbs).map((f) =>
          f.flat().map((x) => answerKey(x)).indexOf(next.key)
        )
          .find((idx) => idx >= 0) ?? -1;
        const suggestion = column >= 0 ? forms.flat()[column] ?? forms.flat()[0] : forms.flat()[0];
        issues.push({
          type: "verb_form",
          excerpt: `${w.raw} ${next.raw}`,
          suggestion: `${w.raw} ${suggestion}`,
          message: {
            en: `The verb does not agree with "${w.raw}": "${w.raw} ${suggestion}".`,
            es: `El verbo no concuerda con «${w.raw}»: «${w.raw} ${suggestion}».`,
          },
        });
      }
    }
    // German nouns are capitalised.
    const k = byKey.get(w.key);
    if (
      language === "de" && k?.partOfSpeech === "noun" && w.raw[0] === w.raw[0].toLowerCase() &&
      w.raw[0] !== w.raw[0].toUpperCase()
    ) {
      issues.push({
        type: "capitalization",
        excerpt: w.raw,
        suggestion: k.word,
        message: {
          en: `German nouns start with a capital: "${k.word}".`,
          es: `Los sustantivos alemanes van con mayúscula: «${k.word}».`,
        },
      });
    }
    // A known word with its accents missing.
    if (!k) {
      const plain = byPlain.get(stripLatinAccents(w.key));
      if (plain && answerKey(plain.word) !== w.key) {
        issues.push({
          type: "accent",
          excerpt: w.raw,
          suggestion: plain.word,
          message: {
            en: `Check the accents: "${plain.word}".`,
            es: `Revisa las tildes: «${plain.word}».`,
          },
        });
      }
    }
  });

  const present = new Set(words.map((w) => stripLatinAccents(w.key)));
  const joined = stripLatinAccents(answerKey(text));
  const expected = expectedWords.map((e) => {
    const key = stripLatinAccents(answerKey(e));
    // Multi-word expressions and scripts without spaces match as a substring.
    const found = present.has(key) ||
      (key.includes(" ") || /[^\p{Script=Latin}\p{N}\s'-]/u.test(key)
        ? joined.includes(key)
        : false);
    return { word: e, found };
  });
  // Course words the text uses, each once: what makes a text more than filler.
  const knownKeys = new Set([...byPlain.keys()].filter((k) => k.length >= 2));
  const knownWords = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(joined)
    ? [...knownKeys].filter((k) => joined.includes(k)).length
    : [...present].filter((k) => knownKeys.has(k)).length;
  return {
    word_count: words.length,
    distinct_words: present.size,
    known_words: knownWords,
    characters: joined.replace(/\s+/g, "").length,
    issues,
    expected_words: expected,
    checks_passed: issues.length === 0 && expected.every((e) => e.found),
  };
}

function genderName(g: string, l: "en" | "es"): string {
  const names: Record<string, LocalizedText> = {
    m: { en: "masculine", es: "masculino" },
    f: { en: "feminine", es: "femenino" },
    n: { en: "neuter", es: "neutro" },
  };
  return names[g]?.[l] ?? g;
}
