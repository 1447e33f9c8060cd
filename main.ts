/**
 * Starts the service.
 *
 * Embedded file (`file:`): migrate and seed once, then serve on `WORKERS` threads
 * (default: every core) that share the port, each with its own connection to the
 * WAL-mode file (busy timeout, so concurrent writers wait rather than fail).
 *
 * Remote database (Turso, `libsql://` / `https://`): start serving at once and
 * prepare the database in the background, retrying with backoff, so liveness holds
 * while the database is unreachable and readiness (and every database-backed
 * request) answers 503 with the reason until it is prepared. This path loads no
 * native code and runs under Deno Deploy's permissions
 * (`--allow-net --allow-env --allow-read`).
 *
 * SIGINT/SIGTERM stop accepting, let in-flight requests finish and close the database.
 */
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { databaseOutage, isRemoteUrl, openDatabase } from "./db/client.ts";
import { migrateDatabase } from "./db/migrate.ts";
import type { Readiness } from "./http/readiness.ts";
import { log, redactUrl } from "./platform/process_log.ts";
import type { RunningServer } from "./server.ts";
import { seedIfEmpty } from "./seed.ts";

/** Migrations (safe from many instances at once) and, when enabled, the first seed. */
async function prepareDatabase(config: Config): Promise<void> {
  const database = await openDatabase(config.DATABASE_URL, {
    authToken: config.DATABASE_AUTH_TOKEN,
  });
  try {
    const migrated = await migrateDatabase(database.db);
    if (migrated.applied) log({ message: "applied migrations", count: migrated.applied });
    if (config.SEED_ON_START) {
      const seeded = await seedIfEmpty(database.db);
      if (seeded) log({ message: "seeded database", ...seeded });
    }
  } finally {
    database.close();
  }
}

/** Retries {@link prepareDatabase} until it succeeds, keeping `readiness` current. */
async function prepareUntilReady(config: Config, readiness: Readiness): Promise<void> {
  for (let attempt = 1, delayMs = 500;; attempt++, delayMs = Math.min(delayMs * 2, 30_000)) {
    try {
      await prepareDatabase(config);
      readiness.ready = true;
      readiness.reason = null;
      log({ message: "database ready", attempts: attempt });
      return;
    } catch (err) {
      readiness.reason = databaseOutage(err) ?? "preparing the database failed";
      log({
        level: "warn",
        message: "database not ready",
        reason: readiness.reason,
        retry_ms: delayMs,
      });
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/**
 * Starts `count` worker threads and waits until each listens. They split
 * `hashConcurrency` between them, so the process never holds more argon2id
 * buffers (19 MiB each) than configured.
 */
async function startWorkers(count: number, hashConcurrency: number): Promise<Worker[]> {
  const hashesEach = Math.max(1, Math.floor(hashConcurrency / count));
  const workers: Worker[] = [];
  await Promise.all(Array.from({ length: count }, (_, i) => {
    const name = `worker-${i + 1}`;
    const worker = new Worker(new URL("./worker.ts", import.meta.url).href, {
      type: "module",
      name,
    });
    workers.push(worker);
    return new Promise<void>((resolve, reject) => {
      worker.onmessage = (e) => {
        if (e.data.type === "listening") resolve();
        if (e.data.type === "failed") reject(new Error(`${name}: ${e.data.message}`));
      };
      worker.onerror = (e) => reject(new Error(`${name}: ${e.message}`));
      // One purge job per process is enough: the first worker runs it.
      worker.postMessage({
        type: "start",
        name,
        maintenance: i === 0,
        hashConcurrency: hashesEach,
      });
    });
  }));
  return workers;
}

function stopWorkers(workers: Worker[]): Promise<void> {
  return Promise.all(workers.map((worker) =>
    new Promise<void>((resolve) => {
      worker.onmessage = (e) => e.data.type === "stopped" && resolve();
      worker.onerror = () => resolve();
      worker.postMessage({ type: "stop" });
    })
  )).then(() => {});
}

async function main() {
  let config: Config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      Deno.exit(1);
    }
    throw err;
  }
  const remote = isRemoteUrl(config.DATABASE_URL);
  if (!Deno.env.get("QUIZ_TOKEN_SECRET") && remote) {
    log({
      level: "warn",
      message: "QUIZ_TOKEN_SECRET is not set: quiz tokens are signed with a key derived from " +
        "the database settings; set a random secret shared by every instance",
    });
  }
  const workerCount = config.WORKERS ?? (remote ? 1 : navigator.hardwareConcurrency || 1);
  if (workerCount > 1 && config.RATE_LIMIT_STORE === "memory") {
    console.error(
      "Invalid configuration:\n  RATE_LIMIT_STORE: memory counters are per worker; " +
        "use database with WORKERS > 1",
    );
    Deno.exit(1);
  }
  const listening = (extra: Record<string, unknown>) =>
    log({
      message: `listening on http://${config.HOST}:${config.PORT}`,
      database: redactUrl(config.DATABASE_URL),
      workers: workerCount,
      ...extra,
    });

  let stopServing: () => Promise<void>;
  if (workerCount === 1) {
    // Imported here: with workers, the main thread only prepares and supervises, and
    // the whole app loaded on it too would be one more isolate's worth of memory.
    const { serveApp } = await import("./server.ts");
    let running: RunningServer;
    if (remote) {
      const readiness: Readiness = { ready: false, reason: "preparing the database" };
      running = await serveApp(config, { readiness });
      // The purge needs the schema: it starts once the database is prepared.
      prepareUntilReady(config, readiness).then(running.maintain);
    } else {
      await prepareDatabase(config);
      running = await serveApp(config, { maintenance: true });
    }
    listening({ password_hasher: running.hasher });
    stopServing = running.stop;
  } else {
    if (remote) await prepareUntilReady(config, { ready: false, reason: null });
    else await prepareDatabase(config);
    const workers = await startWorkers(workerCount, config.HASH_CONCURRENCY);
    listening({});
    stopServing = () => stopWorkers(workers);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return; // a second signal while draining changes nothing
    stopping = true;
    log({ message: `${signal}: shutting down` });
    await stopServing();
    log({ message: "stopped" });
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
}

if (import.meta.main) await main();
