import assert from "node:assert/strict";
import { and, count, eq, sql } from "drizzle-orm";
import { compileRowMapper } from "../db/row_mapping.ts";
import { audioAssets, languages, lessons, userLessons, users, vocabulary } from "../db/schema.ts";
import { signUp, testApp } from "./helpers.ts";

interface Prepared {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(response: unknown, isFromBatch?: boolean): unknown;
}

Deno.test("compiled row mapping gives exactly what Drizzle's mapping gives", async () => {
  const t = await testApp();
  const db = t.database.db;
  const { user } = await signUp(t);
  const [first] = await db.select({ id: lessons.id }).from(lessons).limit(1);
  await t.database.client.execute({
    sql:
      "INSERT INTO user_lessons (user_id, lesson_id, status, unlocked_at) VALUES (?, ?, 'available', 0)",
    args: [user.id, first.id],
  });
  await t.database.client.execute({
    sql:
      "INSERT INTO audio_assets (id, mime_type, byte_length, sha256, data, created_at) VALUES ('a1', 'audio/wav', 3, 'x', ?, 0)",
    args: [new Uint8Array([1, 2, 3])],
  });
  const queries = {
    "blobs": db.select().from(audioAssets).where(eq(audioAssets.id, "a1")),
    "whole rows (json, timestamps, booleans)": db.select().from(vocabulary).limit(5),
    "nested objects from an inner join": db.select({ word: vocabulary, language: languages })
      .from(vocabulary).innerJoin(languages, eq(languages.id, vocabulary.languageId)).limit(5),
    "a left join, matched and unmatched (null object)": db.select({
      lesson: lessons,
      state: userLessons,
    }).from(lessons).leftJoin(
      userLessons,
      and(eq(userLessons.lessonId, lessons.id), eq(userLessons.userId, user.id)),
    ).limit(4),
    "computed fields": db.select({
      n: count(),
      doubled: sql<number>`count(*) * 2`,
      max: sql<string>`max(${vocabulary.word})`.mapWith(String),
    }).from(vocabulary),
    "one row (get)": db.select().from(users).where(eq(users.id, user.id)).limit(1),
    "no rows": db.select().from(users).where(eq(users.id, "nobody")),
  };
  for (const [name, query] of Object.entries(queries)) {
    const prepared = (query as unknown as { prepare(): Prepared }).prepare();
    const q = prepared.getQuery();
    const [result] = await t.database.client.batch([{ sql: q.sql, args: q.params as never[] }]);
    const mapper = compileRowMapper(prepared);
    assert.ok(mapper, name);
    assert.deepEqual(mapper(result), prepared.mapResult(result, true), name);
  }
  // The left join really produced both shapes.
  const rows = await queries["a left join, matched and unmatched (null object)"];
  assert.ok(rows.some((r) => r.state === null) && rows.some((r) => r.state !== null));
});

Deno.test("statements that are not plain selects keep Drizzle's own mapping", async () => {
  const t = await testApp();
  const db = t.database.db;
  const run = db.run(sql`SELECT 1`) as unknown as { _prepare(): Prepared };
  assert.equal(compileRowMapper(run._prepare()), null);
  const update = db.update(users).set({ xp: 1 }).where(eq(users.id, "nobody")) as unknown as {
    prepare(): Prepared;
  };
  assert.equal(compileRowMapper(update.prepare()), null);
});
