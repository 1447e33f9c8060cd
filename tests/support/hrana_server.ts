/**
 * A small libSQL server speaking Hrana over HTTP (version 2, JSON), the protocol
 * `@libsql/client/web` uses against Turso, over an embedded libSQL file.
 *
 * TEST AND DEVELOPMENT INFRASTRUCTURE, NEVER THE PRODUCT. It exists so the app's
 * remote database path (the one Deno Deploy + Turso runs) is exercised here, where
 * no Turso is reachable: npm has no real libSQL server (`sqld` ships no package, and
 * the `turso` CLI's `--sync-server` rejects the `close` request every
 * `@libsql/client` pipeline ends with). Production uses Turso.
 *
 * What it implements: `GET /v2` (version check), `POST /v2/pipeline` with `execute`,
 * `batch` (conditions `ok`, `error`, `not`, `and`, `or`, `is_autocommit`),
 * `sequence`, `store_sql`, `close_sql`, `get_autocommit` and `close`; batons for
 * streams that stay open between requests (interactive transactions); an optional
 * bearer token; `rttMs`, a delay added to every request to stand in for the network
 * between an edge isolate and the database.
 *
 * One connection serves every stream. A pipeline runs synchronously, so two never
 * interleave; a stream that leaves a transaction open owns the connection until it
 * commits, rolls back, closes or idles out, and other streams wait for it (up to
 * `busyTimeoutMs`, then `SQLITE_BUSY`), which is what SQLite's single writer gives a
 * real server too, minus concurrent readers.
 *
 * Run it with `deno task db:serve` (`PORT`, `DB_FILE`, `RTT_MS`, `DB_AUTH_TOKEN`).
 */
import { Buffer } from "node:buffer";
import Database from "libsql";
import { sqliteCodeName } from "../../db/local_client.ts";

type NativeDatabase = InstanceType<typeof Database>;
type NativeStatement = ReturnType<NativeDatabase["prepare"]>;

// Hrana's JSON shapes (see @libsql/hrana-client's shared/proto.ts).
type Value =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };
interface Stmt {
  sql?: string;
  sql_id?: number;
  args?: Value[];
  named_args?: { name: string; value: Value }[];
  want_rows?: boolean;
}
type BatchCond =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: BatchCond }
  | { type: "and" | "or"; conds: BatchCond[] }
  | { type: "is_autocommit" };
interface StmtResult {
  cols: { name: string | null; decltype: string | null }[];
  rows: Value[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}
type StreamRequest =
  | { type: "close" }
  | { type: "execute"; stmt: Stmt }
  | { type: "batch"; batch: { steps: { condition?: BatchCond | null; stmt: Stmt }[] } }
  | { type: "sequence"; sql?: string; sql_id?: number }
  | { type: "store_sql"; sql_id: number; sql: string }
  | { type: "close_sql"; sql_id: number }
  | { type: "get_autocommit" }
  | { type: string };
interface HranaErrorBody {
  message: string;
  code: string;
}

class HranaError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

interface Stream {
  id: number;
  sqls: Map<number, string>;
  lastUsed: number;
}

export interface HranaServerOptions {
  /** The database file (created if missing). */
  path: string;
  port?: number;
  hostname?: string;
  /** Added to every request before it is answered. */
  rttMs?: number;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  authToken?: string;
  /** A stream unused this long is closed (an open transaction rolled back). */
  streamIdleMs?: number;
  /** How long a request waits for another stream's open transaction. */
  busyTimeoutMs?: number;
}

export interface HranaServer {
  /** `http://host:port`, the `DATABASE_URL` for the app. */
  url: string;
  port: number;
  /** HTTP requests answered so far (each is one round trip of a client). */
  readonly requests: number;
  /**
   * Fault injection for tests: the next statement whose SQL contains `sqlFragment` (any case)
   * fails with `SQLITE_IOERR`, as a disk or replication fault mid-batch would.
   */
  failNextStatement(sqlFragment: string): void;
  close(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function startHranaServer(options: HranaServerOptions): Promise<HranaServer> {
  const db = new Database(options.path, { timeout: 0 });
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("PRAGMA synchronous = NORMAL");
  const rttMs = options.rttMs ?? 0;
  const idleMs = options.streamIdleMs ?? 10_000;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  const statements = new Map<string, NativeStatement>();
  const streams = new Map<string, Stream>();
  let nextStreamId = 1;
  let owner: Stream | null = null;
  let ownerReleased: { promise: Promise<void>; resolve: () => void } | null = null;
  let requests = 0;
  let injectedFault: string | null = null;

  function prepare(sql: string): NativeStatement {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      stmt.safeIntegers(true);
      if (stmt.reader) stmt.raw(true);
      if (statements.size > 500) statements.delete(statements.keys().next().value!);
      statements.set(sql, stmt);
    }
    return stmt;
  }

  function execute(stream: Stream, stmt: Stmt): StmtResult {
    const sql = stmt.sql ?? (stmt.sql_id === undefined ? undefined : stream.sqls.get(stmt.sql_id));
    if (sql === undefined) throw new HranaError("Statement has no SQL", "SQL_NOT_FOUND");
    if (injectedFault !== null && sql.toLowerCase().includes(injectedFault.toLowerCase())) {
      injectedFault = null;
      throw new HranaError("disk I/O error (injected by the test server)", "SQLITE_IOERR");
    }
    try {
      const prepared = prepare(sql);
      const args = bindArgs(stmt);
      if (prepared.reader) {
        const rows = prepared.all(args) as unknown[][];
        const cols = (prepared.columns() as { name: string; type: string | null }[])
          .map((c) => ({ name: c.name, decltype: c.type }));
        // A RETURNING statement both writes and reads; a plain SELECT changes nothing.
        const writes = /^\s*(insert|update|delete|replace)\b/i.test(sql);
        return {
          cols,
          rows: rows.map((row) => row.map(toValue)),
          affected_row_count: writes
            ? Number((prepare("SELECT changes()").get([]) as unknown[])[0])
            : 0,
          last_insert_rowid: null,
        };
      }
      const info = prepared.run(args) as { changes: number; lastInsertRowid: number | bigint };
      return {
        cols: [],
        rows: [],
        affected_row_count: Number(info.changes),
        last_insert_rowid: String(info.lastInsertRowid),
      };
    } catch (err) {
      throw toHranaError(err);
    }
  }

  function runBatch(stream: Stream, steps: { condition?: BatchCond | null; stmt: Stmt }[]) {
    const results: (StmtResult | null)[] = [];
    const errors: (HranaErrorBody | null)[] = [];
    const holds = (cond: BatchCond): boolean => {
      switch (cond.type) {
        case "ok":
          return results[cond.step] != null;
        case "error":
          return errors[cond.step] != null;
        case "not":
          return !holds(cond.cond);
        case "and":
          return cond.conds.every(holds);
        case "or":
          return cond.conds.some(holds);
        case "is_autocommit":
          return !db.inTransaction;
      }
    };
    for (const step of steps) {
      if (step.condition && !holds(step.condition)) {
        results.push(null);
        errors.push(null);
        continue;
      }
      try {
        results.push(execute(stream, step.stmt));
        errors.push(null);
      } catch (err) {
        results.push(null);
        errors.push(errorBody(err));
      }
    }
    return { step_results: results, step_errors: errors };
  }

  function handle(stream: Stream, request: StreamRequest): Record<string, unknown> {
    switch (request.type) {
      case "execute":
        return {
          type: "execute",
          result: execute(stream, (request as { type: "execute"; stmt: Stmt }).stmt),
        };
      case "batch": {
        const { batch } = request as { type: "batch"; batch: { steps: [] } };
        return { type: "batch", result: runBatch(stream, batch.steps) };
      }
      case "sequence": {
        const r = request as { sql?: string; sql_id?: number };
        const sql = r.sql ?? (r.sql_id === undefined ? undefined : stream.sqls.get(r.sql_id));
        if (sql === undefined) throw new HranaError("Sequence has no SQL", "SQL_NOT_FOUND");
        try {
          db.exec(sql);
        } catch (err) {
          throw toHranaError(err);
        }
        return { type: "sequence" };
      }
      case "store_sql": {
        const r = request as { sql_id: number; sql: string };
        stream.sqls.set(r.sql_id, r.sql);
        return { type: "store_sql" };
      }
      case "close_sql":
        stream.sqls.delete((request as { sql_id: number }).sql_id);
        return { type: "close_sql" };
      case "get_autocommit":
        return { type: "get_autocommit", is_autocommit: !db.inTransaction };
      case "close":
        return { type: "close" };
      default:
        throw new HranaError(`Request type ${request.type} is not supported`, "PROTOCOL_ERROR");
    }
  }

  /** Waits until no other stream holds an open transaction. */
  async function acquire(stream: Stream): Promise<void> {
    const deadline = Date.now() + busyTimeoutMs;
    while (owner !== null && owner !== stream) {
      if (Date.now() > deadline) throw new HranaError("database is locked", "SQLITE_BUSY");
      await Promise.race([ownerReleased!.promise, sleep(50)]);
    }
  }

  /** After a pipeline: a stream that left a transaction open keeps the connection. */
  function settle(stream: Stream, closed: boolean) {
    if (closed && db.inTransaction) rollback();
    if (db.inTransaction) {
      if (owner !== stream) {
        owner = stream;
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        ownerReleased = { promise, resolve };
      }
    } else if (owner !== null) {
      owner = null;
      ownerReleased?.resolve();
      ownerReleased = null;
    }
  }

  function rollback() {
    try {
      db.exec("ROLLBACK");
    } catch { /* already out of the transaction */ }
  }

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [baton, stream] of streams) {
      if (now - stream.lastUsed < idleMs) continue;
      streams.delete(baton);
      if (owner === stream) settle(stream, true);
    }
  }, Math.min(idleMs, 1000));

  async function pipeline(body: { baton?: string | null; requests?: StreamRequest[] }) {
    let stream: Stream;
    if (body.baton) {
      const found = streams.get(body.baton);
      if (!found) {
        return Response.json({
          message: "The stream has expired or does not exist",
          code: "STREAM_EXPIRED",
        }, {
          status: 400,
        });
      }
      streams.delete(body.baton);
      stream = found;
    } else {
      stream = { id: nextStreamId++, sqls: new Map(), lastUsed: Date.now() };
    }
    const results: Record<string, unknown>[] = [];
    let closed = false;
    try {
      await acquire(stream);
      for (const request of body.requests ?? []) {
        if (closed) {
          results.push({
            type: "error",
            error: { message: "Stream is closed", code: "STREAM_CLOSED" },
          });
          continue;
        }
        try {
          results.push({ type: "ok", response: handle(stream, request) });
        } catch (err) {
          results.push({ type: "error", error: errorBody(err) });
        }
        if (request.type === "close") closed = true;
      }
    } catch (err) {
      // Waiting for another stream's transaction timed out: every request fails alike.
      const error = errorBody(err);
      for (const _ of body.requests ?? []) results.push({ type: "error", error });
    }
    settle(stream, closed);
    let baton: string | null = null;
    if (!closed) {
      stream.lastUsed = Date.now();
      baton = crypto.randomUUID();
      streams.set(baton, stream);
    }
    return Response.json({ baton, base_url: null, results });
  }

  const listening = Promise.withResolvers<void>();
  const server = Deno.serve({
    port: options.port ?? 0,
    hostname: options.hostname ?? "127.0.0.1",
    onListen: () => listening.resolve(),
  }, async (req) => {
    requests++;
    if (rttMs > 0) await networkDelay(rttMs);
    const url = new URL(req.url);
    if (options.authToken && req.headers.get("authorization") !== `Bearer ${options.authToken}`) {
      await req.body?.cancel();
      // sqld's shape: JSON without a `message`, so clients report the HTTP status.
      return Response.json({ error: "Unauthorized: bad or missing token" }, {
        status: 401,
      });
    }
    if (req.method === "GET" && (url.pathname === "/v2" || url.pathname === "/health")) {
      return new Response(null, { status: 200 });
    }
    if (req.method === "POST" && url.pathname === "/v2/pipeline") {
      let body;
      try {
        body = await req.json();
      } catch {
        return Response.json({ message: "Malformed JSON body", code: "PROTOCOL_ERROR" }, {
          status: 400,
        });
      }
      return await pipeline(body);
    }
    await req.body?.cancel();
    return Response.json({ message: "Not found", code: "NOT_FOUND" }, { status: 404 });
  });
  await listening.promise;
  const port = server.addr.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    failNextStatement(sqlFragment) {
      injectedFault = sqlFragment;
    },
    async close() {
      clearInterval(sweep);
      await server.shutdown();
      if (db.inTransaction) rollback();
      db.close();
    },
  };
}

function bindArgs(stmt: Stmt): unknown[] | Record<string, unknown> {
  if (stmt.named_args?.length) {
    const named: Record<string, unknown> = {};
    for (const { name, value } of stmt.named_args) {
      named[name.replace(/^[:@$]/, "")] = fromValue(value);
    }
    return named;
  }
  return (stmt.args ?? []).map(fromValue);
}

function fromValue(value: Value): unknown {
  switch (value.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(value.value);
    case "float":
      return value.value;
    case "text":
      return value.value;
    case "blob":
      return Buffer.from(value.base64, "base64");
    default:
      throw new HranaError("Unknown value type", "PROTOCOL_ERROR");
  }
}

function toValue(value: unknown): Value {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: String(value) };
  if (typeof value === "number") return { type: "float", value };
  if (typeof value === "string") return { type: "text", value };
  if (value instanceof Uint8Array) {
    return { type: "blob", base64: Buffer.from(value).toString("base64") };
  }
  return { type: "text", value: String(value) };
}

function toHranaError(err: unknown): HranaError {
  if (err instanceof HranaError) return err;
  const e = err as Error & { rawCode?: number };
  return new HranaError(e.message ?? String(err), sqliteCodeName(e.rawCode));
}

function errorBody(err: unknown): HranaErrorBody {
  const e = toHranaError(err);
  return { message: e.message, code: e.code };
}

/**
 * Holds a request for `ms`, precisely: timers fire 1–5 ms late, which over several
 * round trips would be charged to the app. The last few milliseconds are spun
 * (this is a test server; the spin is bounded by `SPIN_MS`).
 */
async function networkDelay(ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  if (ms > SPIN_MS) await sleep(ms - SPIN_MS);
  while (performance.now() < deadline) { /* spin out the remainder */ }
}
const SPIN_MS = 8;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

if (import.meta.main) {
  const env = Deno.env.toObject();
  const path = env.DB_FILE ?? "data/edge.db";
  const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  if (dir) await Deno.mkdir(dir, { recursive: true });
  const server = await startHranaServer({
    path,
    port: Number(env.PORT ?? 8080),
    hostname: env.HOST ?? "127.0.0.1",
    rttMs: Number(env.RTT_MS ?? 0),
    authToken: env.DB_AUTH_TOKEN || undefined,
  });
  console.log(JSON.stringify({
    message: `libSQL HTTP test server (Hrana v2) on ${server.url}`,
    file: path,
    rtt_ms: Number(env.RTT_MS ?? 0),
    note: "test and development infrastructure, not for production",
  }));
  const stop = async () => {
    await server.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
