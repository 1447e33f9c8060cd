/** Right answers to a quiz, read from its stored answer keys (for tests and the benchmark). */
import type { Client } from "@libsql/client";

/** Question id → a right answer in the shape the submit endpoint takes. */
export async function rightAnswers(client: Client, quizId: string) {
  const rows = await client.execute({
    sql: "SELECT id, answer FROM quiz_questions WHERE quiz_id = ?",
    args: [quizId],
  });
  return new Map(rows.rows.map((r) => {
    const key = JSON.parse(String(r.answer));
    const answer = key.type === "multiple_choice"
      ? (key.correct.length > 1 ? key.correct : key.correct[0])
      : key.type === "fill_blank"
      ? (key.blanks.length > 1 ? key.blanks.map((b: string[]) => b[0]) : key.blanks[0][0])
      : key.type === "translation" || key.type === "listening" || key.type === "reorder"
      ? key.accepted[0]
      : key.type === "true_false"
      ? key.value
      : Object.fromEntries(
        Object.entries(key.pairs).map(([k, v]) => [k, (v as { en: string }).en]),
      );
    return [String(r.id), { key, answer }];
  }));
}
