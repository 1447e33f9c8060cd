/**
 * Serving one app: open the database, build the app, listen, drain on stop. Used
 * by `main.ts` on its own thread and by each worker thread (`worker.ts`) when the
 * process serves on several cores; workers share the port through SO_REUSEPORT and
 * the kernel spreads connections between them.
 */
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/client.ts";
import { type Maintenance, startMaintenance } from "./http/maintenance.ts";
import type { Readiness } from "./http/readiness.ts";
import { systemClock } from "./platform/clock.ts";
import { createPasswordHasher } from "./platform/password_hasher.ts";
import { log } from "./platform/process_log.ts";

export interface RunningServer {
  database: Database;
  hasher: "native" | "wasm";
  /** Starts the periodic purge of expired rows (once the database is prepared). */
  maintain(): void;
  /** Stops accepting, lets in-flight requests finish (bounded), closes the database. */
  stop(): Promise<void>;
}

/** Opens the database and serves the app on `config.PORT`. */
export async function serveApp(
  config: Config,
  options: {
    worker?: string;
    reusePort?: boolean;
    readiness?: Readiness;
    /** Run the periodic purge of expired rows here (one per process is enough). */
    maintenance?: boolean;
    /** This server's share of `HASH_CONCURRENCY` (workers split it: 19 MiB a hash). */
    hashConcurrency?: number;
  } = {},
): Promise<RunningServer> {
  const database = await openDatabase(config.DATABASE_URL, {
    authToken: config.DATABASE_AUTH_TOKEN,
  });
  const hasher = await createPasswordHasher(
    config.PASSWORD_HASHER,
    options.hashConcurrency ?? config.HASH_CONCURRENCY,
  );
  const app = createApp({
    database,
    config,
    clock: systemClock,
    hasher,
    readiness: options.readiness,
    worker: options.worker,
  });

  let maintenance: Maintenance | undefined;
  const maintain = () => {
    maintenance ??= startMaintenance({ db: database.db, config, clock: systemClock, log });
  };
  if (options.maintenance) maintain();

  let stopping = false;
  const listening = Promise.withResolvers<void>();
  const server = Deno.serve({
    port: config.PORT,
    hostname: config.HOST,
    // Several workers bind the same port (Linux SO_REUSEPORT; needs --unstable-net).
    ...(options.reusePort ? { reusePort: true } : {}),
    onListen: () => listening.resolve(),
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
  await listening.promise;

  return {
    database,
    hasher: hasher.kind,
    maintain,
    async stop() {
      if (stopping) return;
      stopping = true;
      // Stop accepting and let in-flight requests finish (an abort signal would cut them
      // off), but do not wait forever on clients that keep idle connections open.
      const drained = await Promise.race([
        server.shutdown().then(() => true),
        new Promise<boolean>((r) =>
          setTimeout(() => r(false), config.SHUTDOWN_TIMEOUT_SECONDS * 1000)
        ),
      ]);
      if (!drained) log({ message: "drain timeout: closing remaining connections" });
      await maintenance?.stop();
      database.close();
    },
  };
}
