import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { rowsChanged, runWriteBatch } from "../actions/write_batch.ts";
import { testApp } from "./helpers.ts";

Deno.test("runWriteBatch: parts run in order as one batch and get their own results back", async () => {
  const t = await testApp();
  const db = t.database.db;
  await t.database.client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
  const out = await runWriteBatch(db, {
    first: [db.run(sql`INSERT INTO notes (body) VALUES ('a')`)],
    // Chained on the part before it: sees its write.
    second: [
      db.run(sql`INSERT INTO notes (body) SELECT 'b' WHERE changes() = 1`),
      db.run(sql`UPDATE notes SET body = body || '!' WHERE body = 'nothing'`),
    ],
    reads: [db.all(sql`SELECT body FROM notes ORDER BY id`)],
  });
  assert.deepEqual(Object.keys(out), ["first", "second", "reads"]);
  assert.equal(out.first.length, 1);
  assert.equal(out.second.length, 2);
  assert.deepEqual([rowsChanged(out.second[0]), rowsChanged(out.second[1])], [1, 0]);
  assert.deepEqual((out.reads[0] as { body: string }[]).map((r) => r.body), ["a", "b"]);
  assert.equal(rowsChanged(undefined), 0);
});

Deno.test("runWriteBatch: a failing statement in any part rolls back every part", async () => {
  const t = await testApp();
  const db = t.database.db;
  await t.database.client.execute(
    "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
  );
  await assert.rejects(runWriteBatch(db, {
    first: [db.run(sql`INSERT INTO notes (body) VALUES ('a')`)],
    broken: [db.run(sql`INSERT INTO notes (body) VALUES (NULL)`)],
  }));
  const r = await t.database.client.execute("SELECT count(*) AS n FROM notes");
  assert.equal(Number(r.rows[0].n), 0);
  await assert.rejects(runWriteBatch(db, { nothing: [] }), /nothing to write/);
});
