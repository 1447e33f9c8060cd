/** `/api/health`: liveness, and readiness (database answers, migrations applied). */
import { Hono } from "hono";
import { migrationStatus } from "../db/migrate.ts";
import type { AppEnv } from "../http/env.ts";
import { describe } from "../http/openapi.ts";

export const health = new Hono<AppEnv>()
  .get("/", describe({ summary: "Liveness and database check", tags: ["health"] }), async (c) => {
    const start = performance.now();
    let database: "ok" | "unavailable" = "ok";
    try {
      // The client directly: a liveness probe should not pay for the query builder.
      await c.var.deps.database.client.execute("SELECT 1");
    } catch {
      database = "unavailable";
    }
    const body = {
      status: database === "ok" ? "ok" : "degraded",
      database,
      database_latency_ms: Math.round((performance.now() - start) * 100) / 100,
      time: c.var.clock.now().toISOString(),
    };
    return c.json({ data: body }, database === "ok" ? 200 : 503);
  })
  .get(
    "/ready",
    describe({ summary: "Readiness: database reachable and migrations applied", tags: ["health"] }),
    async (c) => {
      try {
        const m = await migrationStatus(c.var.db);
        const ready = m.applied >= m.expected;
        return c.json({
          data: { status: ready ? "ready" : "migrating", migrations: m },
        }, ready ? 200 : 503);
      } catch {
        return c.json({ data: { status: "unavailable" } }, 503);
      }
    },
  );
