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

  const controller = new AbortController();
  const server = Deno.serve({
    port: config.PORT,
    hostname: config.HOST,
    signal: controller.signal,
    onListen: ({ hostname, port }) =>
      log({ message: `listening on http://${hostname}:${port}`, database: redact(database.url) }),
  }, (req, info) => app.fetch(req, info));

  const stop = async (signal: string) => {
    log({ message: `${signal}: shutting down` });
    controller.abort(); // stop accepting; Deno.serve lets in-flight requests finish
    await server.finished;
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
