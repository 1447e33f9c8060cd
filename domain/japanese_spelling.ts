/**
 * Japanese learners write many words either in kanji or in kana (私 or わたし, 飲みます
 * or のみます), and mix the two in one sentence. The content lists whole answers in
 * kanji and in kana; this module derives, from those pairs, the kana reading of each
 * kanji word of an exercise, so any mix of the two spellings is accepted without
 * listing every combination. Nothing outside the exercise's own answers is trusted:
 * a kanji word can be replaced only by a reading that an all-kana answer of the same
 * exercise gives it, so a wrong kanji (箸 for 橋) is still wrong.
 *
 * Everything here takes answers already normalised by answerKey() (no spaces or
 * punctuation), which is what answer_matching.ts compares.
 */

const KANA_CHAR = /[\p{Script=Hiragana}\p{Script=Katakana}ー]/u;
const KANJI_CHAR = /[\p{Script=Han}々]/u;

/** Whether a normalised answer is written in kana (no kanji; romaji is not a reading). */
function kanaOnly(key: string): boolean {
  const chars = [...key];
  return chars.some((c) => KANA_CHAR.test(c)) && !chars.some((c) => KANJI_CHAR.test(c));
}

/** Splits a normalised answer into runs of kanji and runs of everything else. */
function runs(key: string): { text: string; kanji: boolean }[] {
  const out: { text: string; kanji: boolean }[] = [];
  for (const c of key) {
    const kanji = KANJI_CHAR.test(c);
    const last = out[out.length - 1];
    if (last && last.kanji === kanji) last.text += c;
    else out.push({ text: c, kanji });
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The kana reading of each kanji run of `written`, read off an all-kana `reading`
 * of the same sentence: the kana around the kanji anchor the alignment. Null when
 * the two are not the same sentence.
 */
export function alignReading(written: string, reading: string): Map<string, string> | null {
  const parts = runs(written);
  if (!parts.some((p) => p.kanji)) return null;
  const pattern = parts.map((p) => p.kanji ? "(\\p{Script=Hiragana}+?)" : escape(p.text)).join("");
  const match = new RegExp(`^${pattern}$`, "u").exec(reading);
  if (!match) return null;
  const table = new Map<string, string>();
  let group = 1;
  for (const p of parts) {
    if (!p.kanji) continue;
    const kana = match[group++];
    // One run read two ways in one sentence means the alignment is not to be trusted.
    if (table.has(p.text) && table.get(p.text) !== kana) return null;
    table.set(p.text, kana);
  }
  return table;
}

/** Every kanji run of the accepted answers with the kana readings their all-kana twins give it. */
export function readingTable(keys: readonly string[]): Map<string, Set<string>> {
  const kana = keys.filter(kanaOnly);
  const table = new Map<string, Set<string>>();
  for (const written of keys) {
    if (kanaOnly(written)) continue;
    for (const reading of kana) {
      const aligned = alignReading(written, reading);
      if (!aligned) continue;
      for (const [kanji, read] of aligned) {
        const set = table.get(kanji) ?? new Set<string>();
        set.add(read);
        table.set(kanji, set);
      }
    }
  }
  return table;
}

/**
 * A pattern for any spelling of a run of kanji: as written, as a reading the table
 * gives it, or split into shorter runs the table knows (昨日私 from 昨日 and 私 when
 * other answers show them apart).
 */
function runPattern(run: string, table: Map<string, Set<string>>, memo: Map<string, string>) {
  const cached = memo.get(run);
  if (cached !== undefined) return cached;
  const options = [run, ...(table.get(run) ?? [])].map(escape);
  const chars = [...run];
  for (let i = 1; i < chars.length; i++) {
    const head = chars.slice(0, i).join("");
    if (!table.has(head)) continue;
    options.push(runPattern(head, table, memo) + runPattern(chars.slice(i).join(""), table, memo));
  }
  const pattern = options.length === 1 ? options[0] : `(?:${options.join("|")})`;
  memo.set(run, pattern);
  return pattern;
}

/**
 * The index of the accepted answer that `given` spells with some of its kanji
 * words written in kana, or -1: 私は毎日コーヒーをのみます for 私は毎日コーヒーを飲みます
 * when わたしはまいにちコーヒーをのみます is also accepted.
 */
export function eitherScriptMatch(given: string, accepted: readonly string[]): number {
  if (![...given].some((c) => KANA_CHAR.test(c) || KANJI_CHAR.test(c))) return -1;
  const table = readingTable(accepted);
  if (!table.size) return -1;
  const memo = new Map<string, string>();
  return accepted.findIndex((answer) => {
    const parts = runs(answer);
    if (!parts.some((p) => p.kanji)) return false;
    const pattern = parts.map((p) => p.kanji ? runPattern(p.text, table, memo) : escape(p.text));
    return new RegExp(`^${pattern.join("")}$`, "u").test(given);
  });
}
