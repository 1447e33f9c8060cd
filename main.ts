/**
 * Starts the server: configuration → database → migrations → seed if empty →
 * `Deno.serve`. SIGINT/SIGTERM stop accepting, let in-flight requests finish and
 * close the database.
 */
import { createApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import { systemClock } from "./platform/clock.ts";
import { createPasswordHasher } from "./platform/password_hasher.ts";
import { seedIfEmpty } from "./seed.ts";

function log(entry: Record<string, unknown>) {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: "info", ...entry }));
}

async function main() {
  let config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      Deno.exit(1);
    }
    throw err;
  }
  if (!Deno.env.get("QUIZ_TOKEN_SECRET") && !config.DATABASE_URL.startsWith("file:")) {
    log({
      message: "QUIZ_TOKEN_SECRET is not set: quiz tokens are signed with a key derived from " +
        "the database settings; set a random secret shared by every instance",
    });
  }
  const database = await openDatabase(config.DATABASE_URL, {
    authToken: config.DATABASE_AUTH_TOKEN,
  });
  await migrateDatabase(database.db);
  if (config.SEED_ON_START) {
    const seeded = await seedIfEmpty(database.db);
    if (seeded) log({ message: "seeded database", ...seeded });
  }
  const hasher = await createPasswordHasher(config.PASSWORD_HASHER, config.HASH_CONCURRENCY);
  const app = createApp({ database, config, clock: systemClock, hasher });

  let stopping = false;
  const server = Deno.serve({
    port: config.PORT,
    hostname: config.HOST,
    onListen: ({ hostname, port }) =>
      log({ message: `listening on http://${hostname}:${port}`, database: redact(database.url) }),
  }, async (req, info) => {
    const res = await app.fetch(req, info);
    // While draining, tell clients not to reuse the connection, so idle
    // keep-alive sockets do not hold the shutdown open.
    if (stopping) {
      try {
        res.headers.set("Connection", "close");
      } catch { /* immutable headers: the drain timeout still applies */ }
    }
    return res;
  });

  const stop = async (signal: string) => {
    if (stopping) return; // a second signal while draining changes nothing
    stopping = true;
    log({ message: `${signal}: shutting down` });
    // Stop accepting and let in-flight requests finish (an abort signal would cut them
    // off), but do not wait forever on clients that keep idle connections open.
    const drained = await Promise.race([
      server.shutdown().then(() => true),
      new Promise<boolean>((r) =>
        setTimeout(() => r(false), config.SHUTDOWN_TIMEOUT_SECONDS * 1000)
      ),
    ]);
    if (!drained) log({ message: "drain timeout: closing remaining connections" });
    database.close();
    log({ message: "stopped" });
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
}

/** Drops credentials from a database URL before logging it. */
function redact(url: string): string {
  return url.replace(/authToken=[^&]+/, "authToken=***");
}

if (import.meta.main) await main();
