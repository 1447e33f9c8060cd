/**
 * Opens the database: an embedded SQLite file by default, Turso (`libsql://`,
 * `https://`) when deployed; the same Drizzle code runs on both. Every statement
 * sent is counted against the current request (see {@link roundTrips}), because on
 * Turso each one is a network hop.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Client, Config } from "@libsql/client";
// Type-only: the value export of "drizzle-orm/libsql" loads @libsql/client's Node entry,
// which loads the native addon at import time. The web entry is plain JavaScript and
// takes any Client, so the embedded file's client plugs into it too.
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema.ts";

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export interface Database {
  db: Db;
  client: Client;
  url: string;
  close(): void;
}

/** Statements sent and time spent in the database during one request. */
export interface RoundTripCounter {
  statements: number;
  ms: number;
}
const requestCounter = new AsyncLocalStorage<RoundTripCounter>();

/** Runs `fn` with a fresh counter; every database call inside it is tallied there. */
export function countRoundTrips<T>(fn: () => T): { result: T; counter: RoundTripCounter } {
  const counter = { statements: 0, ms: 0 };
  return { result: requestCounter.run(counter, fn), counter };
}

/** The counter of the request in progress, if any. */
export function roundTrips(): RoundTripCounter | undefined {
  return requestCounter.getStore();
}

/** True for URLs served over the network (Turso, a libSQL server), false for `file:`. */
export function isRemoteUrl(url: string): boolean {
  return !url.startsWith("file:");
}

/**
 * Opens a libSQL client for `url`. A local `file:` URL gets its folder created,
 * WAL journaling, a busy timeout and cached prepared statements (see
 * local_client.ts; libSQL enables foreign keys on every connection it opens);
 * the native driver is imported only here, so remote URLs (`libsql://`,
 * `https://`, `http://`) never load native code: they use the web (fetch-based)
 * client, which runs under Deno Deploy's permissions.
 */
export async function openDatabase(
  url: string,
  options: { authToken?: string; busyTimeoutMs?: number } = {},
): Promise<Database> {
  let client: Client;
  if (!isRemoteUrl(url)) {
    const path = url.slice("file:".length).split("?")[0];
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
    if (dir) await Deno.mkdir(dir, { recursive: true });
    // One connection: the local driver runs statements synchronously on this thread, so a
    // pool adds no parallelism, and per-connection pragmas (synchronous) then hold for all.
    const { createLocalClient } = await import("./local_client.ts");
    client = createLocalClient(path, { timeoutMs: options.busyTimeoutMs ?? 5000 });
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
  } else {
    const { createClient } = await import("@libsql/client/web");
    const config: Config = { url, authToken: options.authToken };
    client = createClient(config);
  }
  const counted = countingClient(client);
  const db = drizzle(counted, { schema });
  return { db, client: counted, url, close: () => client.close() };
}

/** Wraps a client so each execute, batch and transaction statement is counted. */
function countingClient(client: Client): Client {
  const tally = async <T>(statements: number, run: () => Promise<T>): Promise<T> => {
    const counter = requestCounter.getStore();
    if (!counter) return run();
    const start = performance.now();
    try {
      return await run();
    } finally {
      counter.statements += statements;
      counter.ms += performance.now() - start;
    }
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "execute") {
        return (...args: Parameters<Client["execute"]>) => tally(1, () => target.execute(...args));
      }
      if (prop === "batch") {
        // A batch is one round trip however many statements it holds.
        return (...args: Parameters<Client["batch"]>) => tally(1, () => target.batch(...args));
      }
      if (prop === "transaction") {
        return async (...args: Parameters<Client["transaction"]>) => {
          const tx = await tally(1, () => target.transaction(...args));
          return new Proxy(tx, {
            get(t, p, r) {
              if (p === "execute" || p === "batch" || p === "commit" || p === "rollback") {
                const fn = Reflect.get(t, p, r) as (...a: unknown[]) => Promise<unknown>;
                return (...a: unknown[]) => tally(1, () => fn.apply(t, a));
              }
              const value = Reflect.get(t, p, r);
              return typeof value === "function" ? value.bind(t) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Why `err` means the database could not serve at all (unreachable, credentials
 * rejected, server error, locked or failing storage), or null for an ordinary
 * query error. Drizzle wraps driver errors, so the cause chain is walked. The
 * reason is for logs and readiness: it never carries the query or its parameters.
 */
export function databaseOutage(err: unknown): string | null {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (!(e instanceof Error)) break;
    const code = (e as { code?: unknown }).code;
    const message = e.message;
    if (/HTTP status 40[13]\b/.test(message) || code === "UNAUTHORIZED") {
      return "the database rejected the credentials";
    }
    if (code === "SERVER_ERROR" || /HTTP status 5\d\d/.test(message)) {
      return "the database server answered with an error";
    }
    if (code === "HRANA_CLOSED_ERROR" || code === "HRANA_WEBSOCKET_ERROR") {
      return "the connection to the database closed";
    }
    if (code === "SQLITE_BUSY" || code === "SQLITE_IOERR" || code === "SQLITE_FULL") {
      return `the database reported ${code}`;
    }
    if (
      e instanceof TypeError &&
      /error sending request|connection|connect|dns|network|fetch failed/i.test(message)
    ) {
      return "the database cannot be reached";
    }
  }
  return null;
}
