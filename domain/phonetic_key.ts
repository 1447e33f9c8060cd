/**
 * Phonetic keys: spelled text turned into a sequence of sound tokens (IPA-ish
 * symbols) by a small grapheme-to-phoneme rule set per language. Two spellings
 * that sound alike get the same key (Spanish "vaca"/"baca", "ola"/"hola";
 * French "parler"/"parlé"), which is what comparing a speech recogniser's
 * transcript with a target word needs: the recogniser may pick either spelling,
 * and only a different sound should cost points.
 *
 * The rules are deliberately approximate (no dictionary, no morphology): they
 * cover the regular spelling-to-sound rules a textbook teaches. Tokens use the
 * curriculum's IPA symbols where possible, so a wrong token can be named with the
 * language's pronunciation guide.
 */
import { answerKey } from "./answer_matching.ts";

type Rule = [RegExp, string[]];

/** `[pattern, tokens]`: the first rule that matches at a position wins. */
function rules(list: [string, string][]): Rule[] {
  return list.map(([pattern, out]) => [
    new RegExp(pattern, "uy"),
    out === "" ? [] : out.split(" "),
  ]);
}

const SPANISH = rules([
  ["ch", "tʃ"],
  ["ll", "ʝ"],
  ["rr", "r"],
  ["^r", "r"],
  ["(?<=[nls])r", "r"],
  ["r", "ɾ"],
  ["qu(?=[eiéí])", "k"],
  ["gu(?=[eiéí])", "ɡ"],
  ["gü", "ɡ w"],
  ["g(?=[eiéí])", "x"],
  ["g", "ɡ"],
  ["j", "x"],
  ["c(?=[eiéí])", "θ"],
  ["z", "θ"],
  ["[ckq]", "k"],
  ["x", "k s"],
  ["[bvw]", "b"],
  ["h", ""],
  ["ñ", "ɲ"],
  ["y(?=$)", "i"],
  ["y", "ʝ"],
  ["[aá]", "a"],
  ["[eé]", "e"],
  ["[ií]", "i"],
  ["[oó]", "o"],
  ["[uúü]", "u"],
]);

const FRENCH = rules([
  ["eaux?$", "o"],
  ["eau", "o"],
  ["au", "o"],
  ["(?:er|ez|et)$", "e"],
  ["[ae]i[ntm](?![aeiouyéèên])", "ɛ̃"],
  ["[ae]i", "ɛ"],
  ["oi", "w a"],
  ["o[uùû]", "u"],
  ["œu|eu", "ø"],
  ["i[nm](?![aeiouyéèênm])", "ɛ̃"],
  ["u[nm](?![aeiouyéèênm])", "ɛ̃"],
  ["e[nm](?![aeiouyéèênm])", "ɑ̃"],
  ["a[nm](?![aeiouyéèênm])", "ɑ̃"],
  ["o[nm](?![aeiouyéèênm])", "ɔ̃"],
  ["ille", "i j"],
  ["ch", "ʃ"],
  ["gn", "ɲ"],
  ["qu", "k"],
  ["ph", "f"],
  ["th", "t"],
  ["c(?=[eiyéèê])|ç", "s"],
  ["c", "k"],
  ["ge(?=[aou])", "ʒ"],
  ["gu(?=[eiéèê])", "ɡ"],
  ["g(?=[eiyéèê])|j", "ʒ"],
  ["g", "ɡ"],
  ["h", ""],
  ["ss", "s"],
  ["(?<=[aeiouyéèê])s(?=[aeiouyéèê])", "z"],
  ["x", "k s"],
  ["[yîï]", "i"],
  ["é", "e"],
  ["[èêë]", "ɛ"],
  ["e", "ə"],
  ["[àâ]", "a"],
  ["[uûù]", "y"],
  ["ô", "o"],
  ["r", "ʁ"],
]);

const GERMAN = rules([
  ["tsch", "tʃ"],
  ["sch", "ʃ"],
  ["^s(?=[pt])", "ʃ"],
  ["chs", "k s"],
  ["ch", "x"],
  ["ck", "k"],
  ["ph", "f"],
  ["qu", "k v"],
  ["t?z", "ts"],
  ["ß", "s"],
  ["(?<![a-zäöüß])s(?=[aeiouäöü])|(?<=[aeiouäöüaeilnr])s(?=[aeiouäöü])", "z"],
  ["v", "f"],
  ["w", "v"],
  ["ie", "iː"],
  ["[ae][iy]", "aɪ"],
  ["eu|äu", "ɔʏ"],
  ["au", "aʊ"],
  ["ä", "ɛ"],
  ["ö", "ø"],
  ["[üy]", "y"],
  ["(?<=[aeiouäöü])h", ""],
  ["b$", "p"],
  ["d$", "t"],
  ["g$", "k"],
  ["g", "ɡ"],
  ["r", "ʁ"],
]);

const ITALIAN = rules([
  ["sci(?=[aou])", "ʃ"],
  ["sc(?=[ieèé])", "ʃ"],
  ["ci(?=[aou])", "tʃ"],
  ["c(?=[ieèéì])", "tʃ"],
  ["ch", "k"],
  ["[ck]", "k"],
  ["gli", "ʎ"],
  ["gn", "ɲ"],
  ["gi(?=[aou])", "dʒ"],
  ["g(?=[ieèéì])", "dʒ"],
  ["gh", "ɡ"],
  ["g", "ɡ"],
  ["qu", "k w"],
  ["h", ""],
  ["z", "ts"],
  ["r", "r"],
  ["[aà]", "a"],
  ["[eèé]", "e"],
  ["[iìí]", "i"],
  ["[oòó]", "o"],
  ["[uùú]", "u"],
]);

const PORTUGUESE = rules([
  ["ão|am$", "ɐ̃ w"],
  ["ãe|em$", "ẽ j"],
  ["õe", "õ j"],
  ["ã|[aâ][nm](?![aeiouáâãéêíóôõú])", "ɐ̃"],
  ["[eé][nm](?![aeiouáâãéêíóôõú])", "ẽ"],
  ["i[nm](?![aeiouáâãéêíóôõú])", "ĩ"],
  ["õ|o[nm](?![aeiouáâãéêíóôõú])", "õ"],
  ["u[nm](?![aeiouáâãéêíóôõú])", "ũ"],
  ["lh", "ʎ"],
  ["nh", "ɲ"],
  ["ch|x", "ʃ"],
  ["ç|c(?=[eiéêí])", "s"],
  ["c", "k"],
  ["qu(?=[eiéêí])", "k"],
  ["qu", "k w"],
  ["gu(?=[eiéêí])", "ɡ"],
  ["g(?=[eiéêí])|j", "ʒ"],
  ["g", "ɡ"],
  ["h", ""],
  ["rr|^r", "ʁ"],
  ["r", "ɾ"],
  ["ss", "s"],
  ["(?<=[aeiouáâãéêíóôõú])s(?=[aeiouáâãéêíóôõú])", "z"],
  ["[áâà]", "a"],
  ["[éê]", "e"],
  ["í", "i"],
  ["[óô]", "o"],
  ["[úü]", "u"],
]);

const RULES: Record<string, Rule[]> = {
  es: SPANISH,
  fr: FRENCH,
  de: GERMAN,
  it: ITALIAN,
  pt: PORTUGUESE,
};

/** Letters that double in spelling but not in sound (Italian keeps its geminates). */
const KEEPS_DOUBLES = new Set(["it", "ja"]);

/** Silent endings removed before the French rules run (parlent, tables, petit). */
function frenchSilentEndings(word: string): string {
  if (word.length <= 2) return word;
  let w = word.replace(/(?<=[^aeiouy])es$/u, "").replace(/(?<=[^aeiouyé])e$/u, "");
  if (!/(?:er|ez|et)$/.test(w)) w = w.replace(/[stdxzpg]+$/u, "");
  return w || word;
}

/** The sound tokens of one word under a rule set; unmatched letters stand for themselves. */
function applyRules(word: string, ruleSet: Rule[]): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < word.length) {
    let matched = false;
    for (const [pattern, tokens] of ruleSet) {
      pattern.lastIndex = at;
      const m = pattern.exec(word);
      if (m && m[0].length > 0) {
        out.push(...tokens);
        at += m[0].length;
        matched = true;
        break;
      }
    }
    if (!matched) {
      const ch = String.fromCodePoint(word.codePointAt(at)!);
      if (/\p{L}/u.test(ch)) out.push(ch.normalize("NFD").replace(/\p{M}/gu, ""));
      at += ch.length;
    }
  }
  return out;
}

/** Collapses repeated tokens (spelled double consonants are one sound). */
function collapseDoubles(tokens: string[]): string[] {
  return tokens.filter((t, i) => i === 0 || t !== tokens[i - 1]);
}

/**
 * The phonetic key of `text` in `language` (ISO 639-1), one array of tokens per
 * word. Japanese kana and romaji are keyed by sound; kanji cannot be read
 * without a dictionary and are left out (see {@link hasKanji}).
 */
export function phoneticWords(text: string, language: string): string[][] {
  if (language === "ja") return japaneseWords(text);
  const words = answerKey(text).split(" ").filter(Boolean);
  const ruleSet = RULES[language];
  return words.map((raw) => {
    const word = language === "fr" ? frenchSilentEndings(raw.replace(/'/g, "")) : raw;
    const tokens = ruleSet
      ? applyRules(word.replace(/'/g, ""), ruleSet)
      : applyRules(word.replace(/'/g, ""), []);
    return KEEPS_DOUBLES.has(language) ? tokens : collapseDoubles(tokens);
  }).filter((w) => w.length > 0);
}

/** The whole key of `text`, word boundaries dropped (recognisers split words freely). */
export function phoneticKey(text: string, language: string): string[] {
  return phoneticWords(text, language).flat();
}

// ---------------------------------------------------------------- Japanese

const KANA_ROMAJI: Record<string, string> = Object.fromEntries(
  ("あ a い i う u え e お o か ka き ki く ku け ke こ ko が ga ぎ gi ぐ gu げ ge ご go " +
    "さ sa し shi す su せ se そ so ざ za じ ji ず zu ぜ ze ぞ zo た ta ち chi つ tsu て te と to " +
    "だ da ぢ ji づ zu で de ど do な na に ni ぬ nu ね ne の no は ha ひ hi ふ fu へ he ほ ho " +
    "ば ba び bi ぶ bu べ be ぼ bo ぱ pa ぴ pi ぷ pu ぺ pe ぽ po ま ma み mi む mu め me も mo " +
    "や ya ゆ yu よ yo ら ra り ri る ru れ re ろ ro わ wa ゐ i ゑ e を o ん n' ゔ vu " +
    "ぁ a ぃ i ぅ u ぇ e ぉ o")
    .split(" ").reduce<[string, string][]>((pairs, item, i, all) => {
      if (i % 2 === 0) pairs.push([item, all[i + 1]]);
      return pairs;
    }, []),
);

/** Whether text contains kanji (which only a dictionary could turn into sounds). */
export function hasKanji(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}

/**
 * Hiragana or katakana to Hepburn romaji: small ya/yu/yo combine (きゃ kya,
 * しゃ sha), small tsu doubles the next consonant, ー lengthens the vowel.
 * A final は is read "wa" (the particle of こんにちは) when `finalHaAsWa`.
 */
export function kanaToRomaji(text: string, finalHaAsWa = true): string {
  const hira = [...text.normalize("NFC")].map((ch) => {
    const code = ch.codePointAt(0)!;
    return code >= 0x30a1 && code <= 0x30f6 ? String.fromCodePoint(code - 0x60) : ch;
  });
  let out = "";
  let doubleNext = false;
  for (let i = 0; i < hira.length; i++) {
    const ch = hira[i];
    const next = hira[i + 1];
    if (ch === "っ") {
      doubleNext = true;
      continue;
    }
    if (ch === "ー") {
      const vowel = out.match(/[aeiou]$/)?.[0];
      if (vowel) out += vowel;
      continue;
    }
    let romaji = KANA_ROMAJI[ch];
    if (romaji === undefined) {
      out += ch;
      doubleNext = false;
      continue;
    }
    if (ch === "は" && finalHaAsWa && i === hira.length - 1 && i >= 2) romaji = "wa";
    if (next === "ゃ" || next === "ゅ" || next === "ょ") {
      const vowel = { "ゃ": "a", "ゅ": "u", "ょ": "o" }[next];
      romaji = /^(shi|chi|ji)$/.test(romaji)
        ? romaji.slice(0, -1) + vowel
        : romaji.slice(0, -1) + "y" + vowel;
      i++;
    }
    if (doubleNext) {
      romaji = (romaji.startsWith("ch") ? "t" : romaji[0]) + romaji;
      doubleNext = false;
    }
    out += romaji;
  }
  return out;
}

const ROMAJI_RULES = rules([
  ["n'|n(?![aeiouy])", "ɴ"],
  ["sh", "ɕ"],
  ["ch", "tɕ"],
  ["ts", "ts"],
  ["j", "dʑ"],
  ["f", "ɸ"],
  ["r", "ɾ"],
  ["y", "j"],
  ["u", "ɯ"],
  ["g", "ɡ"],
]);

/** Romaji (Hepburn, macrons or doubled vowels) to sound tokens; ou and ō are both oː. */
function romajiTokens(romaji: string): string[] {
  const plain = romaji.toLowerCase()
    .replace(/ā/g, "aa").replace(/ī/g, "ii").replace(/ū/g, "uu").replace(/ē/g, "ee")
    .replace(/[ōô]/g, "oo").replace(/ou/g, "oo").replace(/[^a-z']/g, "");
  return applyRules(plain, ROMAJI_RULES);
}

function japaneseWords(text: string): string[][] {
  const words = answerKey(text).split(" ").filter(Boolean);
  return words.map((w) => romajiTokens(kanaToRomaji(w.replace(/\p{Script=Han}/gu, ""))))
    .filter((w) => w.length > 0);
}
