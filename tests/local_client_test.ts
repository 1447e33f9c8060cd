/**
 * The embedded-file client must behave as `@libsql/client`'s local driver does
 * for everything the app and Drizzle rely on: each case runs on both and the
 * results are compared.
 */
import assert from "node:assert/strict";
import { type Client, createClient, LibsqlError } from "@libsql/client";
import { createLocalClient } from "../db/local_client.ts";

async function both(run: (client: Client) => Promise<unknown>) {
  const dir = await Deno.makeTempDir({ prefix: "local-client-" });
  const upstream = createClient({ url: `file:${dir}/a.db` });
  const local = createLocalClient(`${dir}/b.db`, { timeoutMs: 1000 });
  try {
    for (const c of [upstream, local]) {
      await c.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL, data BLOB, flag INTEGER)",
      );
    }
    return [await run(upstream), await run(local)];
  } finally {
    upstream.close();
    local.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function shape(rs: { rows: ArrayLike<unknown>[]; columns: string[]; rowsAffected: number }) {
  return {
    columns: rs.columns,
    rowsAffected: rs.rowsAffected,
    keys: rs.rows.map((r) => Object.keys(r)),
    byIndex: rs.rows.map((r) => Array.prototype.slice.call(r)),
    json: JSON.stringify(rs.rows),
    spread: rs.rows.map((r) => ({ ...r })),
  };
}

Deno.test("rows read by name and by index, with the same keys, JSON and spread", async () => {
  const [a, b] = await both(async (c) => {
    const insert = await c.execute({
      sql: "INSERT INTO t (name, score, flag) VALUES (?, ?, ?)",
      args: ["ana", 1.5, true],
    });
    await c.execute({
      sql: "INSERT INTO t (name, score, flag) VALUES (:name, :score, :flag)",
      args: { name: "bo", score: 2, flag: false },
    });
    const joined = await c.execute(
      "SELECT a.id, b.id, a.name, b.score FROM t a JOIN t b ON b.id = a.id ORDER BY a.id",
    );
    return {
      insert: { rowsAffected: insert.rowsAffected, id: String(insert.lastInsertRowid) },
      joined: shape(joined),
      named: (await c.execute("SELECT name, flag FROM t ORDER BY id")).rows.map((r) => [
        r.name,
        r.flag,
        r.length,
      ]),
      empty: shape(await c.execute({ sql: "SELECT * FROM t WHERE id = ?", args: [99] })),
    };
  });
  assert.deepEqual(b, a);
});

Deno.test("blobs come back as the same bytes in an ArrayBuffer; Dates bind as epoch ms", async () => {
  const [a, b] = await both(async (c) => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await c.execute({
      sql: "INSERT INTO t (name, data, score) VALUES (?, ?, ?)",
      args: ["x", bytes.buffer, new Date(1234)],
    });
    const row = (await c.execute("SELECT data, score FROM t")).rows[0];
    assert.ok(row.data instanceof ArrayBuffer);
    return { data: [...new Uint8Array(row.data as ArrayBuffer)], score: row.score };
  });
  assert.deepEqual(b, a);
  assert.deepEqual(b, { data: [0, 1, 2, 250, 255], score: 1234 });
});

Deno.test("errors are LibsqlError with SQLite's codes, in and out of batches", async () => {
  const [a, b] = await both(async (c) => {
    await c.execute({ sql: "INSERT INTO t (name) VALUES (?)", args: ["dup"] });
    const single = await c.execute({ sql: "INSERT INTO t (name) VALUES (?)", args: ["dup"] })
      .catch((e) => e);
    const syntax = await c.execute("SELEC nonsense").catch((e) => e);
    const inBatch = await c.batch([
      { sql: "INSERT INTO t (name) VALUES (?)", args: ["new"] },
      { sql: "INSERT INTO t (name) VALUES (?)", args: ["dup"] },
    ]).catch((e) => e);
    const kept = (await c.execute("SELECT count(*) AS n FROM t")).rows[0].n;
    const undef = await c.execute({ sql: "SELECT ?", args: [undefined as unknown as null] })
      .catch((e) => e.constructor.name);
    return {
      single: [single instanceof LibsqlError, single.code, single.extendedCode],
      syntax: [syntax instanceof LibsqlError, syntax.code],
      inBatch: [inBatch instanceof LibsqlError, inBatch.code, inBatch.statementIndex],
      kept: Number(kept),
      undef,
    };
  });
  assert.deepEqual(b, a);
  assert.deepEqual((b as { kept: number }).kept, 1, "the failed batch left nothing behind");
});

Deno.test("batches commit together; a transaction has the connection to itself", async () => {
  const dir = await Deno.makeTempDir({ prefix: "local-client-" });
  const c = createLocalClient(`${dir}/c.db`, { timeoutMs: 1000 });
  await c.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
  const results = await c.batch([
    { sql: "INSERT INTO t (name) VALUES (?)", args: ["a"] },
    { sql: "INSERT INTO t (name) VALUES (?)", args: ["b"] },
    "SELECT count(*) AS n FROM t",
  ], "write");
  assert.equal(results[2].rows[0].n, 2);

  const tx = await c.transaction("write");
  await tx.execute({ sql: "INSERT INTO t (name) VALUES (?)", args: ["inside"] });
  // A call from outside waits for the transaction instead of joining it.
  const outside = c.execute("SELECT count(*) AS n FROM t");
  let settled = false;
  outside.then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(settled, false);
  await tx.rollback();
  assert.equal((await outside).rows[0].n, 2, "it ran after the rollback");
  assert.equal(tx.closed, true);
  await assert.rejects(tx.execute("SELECT 1"), /TRANSACTION_CLOSED/);

  // The same SQL many times reuses one prepared statement and still binds fresh values.
  for (let i = 0; i < 50; i++) {
    await c.execute({ sql: "INSERT INTO t (name) VALUES (?)", args: [`n${i}`] });
  }
  const last = await c.execute({ sql: "SELECT name FROM t WHERE name = ?", args: ["n49"] });
  assert.equal(last.rows[0].name, "n49");
  c.close();
  await assert.rejects(c.execute("SELECT 1"), /CLIENT_CLOSED/);
  await Deno.remove(dir, { recursive: true });
});
