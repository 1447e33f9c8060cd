/**
 * `/api/health`: liveness (the process answers) and readiness (database
 * reachable, migrations applied). Liveness never touches the database: an
 * orchestrator restarts a process whose liveness fails, and a slow or
 * unreachable database is not fixed by restarting the API, only by routing
 * traffic elsewhere, which is what readiness is for.
 */
import { Hono } from "hono";
import { databaseOutage } from "../db/client.ts";
import { migrationStatus } from "../db/migrate.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";

const startedAt = Date.now();

export const health = new Hono<AppEnv>()
  .get(
    "/",
    describe({ summary: "Liveness: the process is up and serving", tags: ["health"] }),
    (c) =>
      c.json({
        data: {
          status: "ok",
          uptime_seconds: Math.floor((Date.now() - startedAt) / 1000),
          time: c.var.clock.now().toISOString(),
          // Which serving worker answered, and its heap (RSS is the whole process's).
          worker: c.var.deps.worker ?? "main",
          heap_used_mb: Math.round(Deno.memoryUsage().heapUsed / 1048576),
          rss_mb: Math.round(Deno.memoryUsage().rss / 1048576),
        },
      }),
  )
  .get(
    "/ready",
    describe({ summary: "Readiness: database reachable and migrations applied", tags: ["health"] }),
    async (c) => {
      const { readiness } = c.var.deps;
      if (!readiness.ready) {
        c.header("Retry-After", "5");
        return c.json({
          data: { status: "starting", database: "unavailable", reason: readiness.reason },
        }, 503);
      }
      const start = performance.now();
      try {
        const migrations = await migrationStatus(c.var.db);
        const ready = migrations.applied >= migrations.expected;
        return c.json({
          data: {
            status: ready ? "ready" : "migrating",
            database: "ok",
            database_latency_ms: Math.round((performance.now() - start) * 100) / 100,
            migrations,
          },
        }, ready ? 200 : 503);
      } catch (err) {
        c.header("Retry-After", "5");
        return c.json({
          data: {
            status: "unavailable",
            database: "unavailable",
            reason: databaseOutage(err) ?? "the database query failed",
          },
        }, 503);
      }
    },
  );
