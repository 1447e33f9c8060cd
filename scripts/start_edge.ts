/**
 * `deno task start:edge`: a local replica of Deno Deploy + Turso.
 *
 * Starts the libSQL HTTP test server (tests/support/hrana_server.ts: Hrana over
 * HTTP over an embedded file; test infrastructure standing in for Turso) and then
 * the API under exactly Deno Deploy's permissions (`--allow-net --allow-env
 * --allow-read`, no prompt: no FFI, no native addon, no writes) with
 * `DATABASE_URL` pointing at it. Migrations and the first seed run through the
 * remote client, as they do on Deploy.
 *
 * Environment: `PORT` (API, default 8000), `DB_PORT` (database server, default
 * 8080), `DB_FILE` (default data/edge.db), `RTT_MS` (delay added to every database
 * request, default 0), plus anything the API reads (see config.ts). Ctrl-C stops both.
 */
import {
  DEPLOY_PERMISSIONS,
  HRANA_SERVER_ARGS,
  spawnDeno,
  waitUntilOk,
} from "../tests/support/processes.ts";

const env = Deno.env.toObject();
const dbPort = env.DB_PORT ?? "8080";
const dbUrl = `http://127.0.0.1:${dbPort}`;

const database = spawnDeno(HRANA_SERVER_ARGS, {
  PORT: dbPort,
  DB_FILE: env.DB_FILE ?? "data/edge.db",
  RTT_MS: env.RTT_MS ?? "0",
});

// Wait until the database server answers before starting the API (which would also
// cope, by retrying, but a clean start log is friendlier).
if (!await waitUntilOk(`${dbUrl}/v2`, 10_000)) {
  console.error(`the libSQL server did not start on ${dbUrl}`);
  database.kill("SIGTERM");
  Deno.exit(1);
}

const api = spawnDeno(["run", ...DEPLOY_PERMISSIONS, "main.ts"], {
  DATABASE_URL: dbUrl,
  PORT: env.PORT ?? "8000",
});
let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  try {
    api.kill("SIGTERM");
  } catch { /* already gone */ }
  await api.status;
  try {
    database.kill("SIGTERM");
  } catch { /* already gone */ }
  await database.status;
  Deno.exit(code);
}
Deno.addSignalListener("SIGINT", () => stop(0));
Deno.addSignalListener("SIGTERM", () => stop(0));
// Either process ending on its own ends the replica.
Promise.race([api.status, database.status]).then((s) => stop(s.code || 0));
