import assert from "node:assert/strict";
import { answerKey } from "../domain/answer_matching.ts";
import { alignReading, eitherScriptMatch, readingTable } from "../domain/japanese_spelling.ts";

const keys = (answers: string[]) => answers.map(answerKey);

Deno.test("alignReading() reads each kanji word off the all-kana twin", () => {
  const table = alignReading(
    answerKey("私は毎日、コーヒーを飲みます。"),
    "わたしはまいにちコーヒーをのみます",
  );
  assert.deepEqual(Object.fromEntries(table!), { 私: "わたし", 毎日: "まいにち", 飲: "の" });
  assert.equal(alignReading("私は学生です", "わたしはがくせいだ"), null, "not the same sentence");
  assert.equal(alignReading("わたし", "わたし"), null, "nothing to read");
});

Deno.test("eitherScriptMatch() accepts any mix of the spellings the answers vouch for", () => {
  const accepted = keys([
    "昨日、私はお店に行って、靴を買いました。",
    "私は昨日お店に行きました。",
    "わたしはきのうおみせにいきました。",
    "きのう、わたしはおみせにいって、くつをかいました。",
  ]);
  // 昨日私 is one run of kanji; the second pair of answers shows 昨日 and 私 apart.
  assert.ok(readingTable(accepted).has("昨日私"));
  assert.equal(eitherScriptMatch("きのう私はお店にいって靴をかいました", accepted), 0);
  assert.equal(eitherScriptMatch("昨日わたしはおみせに行ってくつを買いました", accepted), 0);
  assert.equal(eitherScriptMatch("昨日私は箸に行って靴を買いました", accepted), -1);
  // No all-kana answer, no readings: only the spellings listed.
  assert.equal(eitherScriptMatch("わたしは学生です", keys(["私は学生です。"])), -1);
  // Romaji is not a reading.
  assert.equal(eitherScriptMatch("nichiyoubi", keys(["日曜日", "nichiyoubi"])), -1);
  assert.equal(readingTable(keys(["日曜日", "nichiyoubi"])).size, 0);
});
