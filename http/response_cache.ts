/**
 * A small in-process cache for public catalogue reads (languages, courses) made
 * without a session: the same URL and learner language give the same bytes.
 * Entries live `ttlMs` (so several instances converge within it) and are dropped
 * at once when this instance writes content.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.ts";
import { setResponseHeader } from "./response_headers.ts";

interface Entry {
  body: string;
  status: number;
  headers: [string, string][];
  expires: number;
}

export interface ResponseCache {
  middleware: MiddlewareHandler<AppEnv>;
  /** Forget everything (call after a content write). */
  clear(): void;
}

export function responseCache(options: { ttlMs: number; maxEntries: number }): ResponseCache {
  const entries = new Map<string, Entry>();
  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.req.method !== "GET" || c.get("user")) return next();
    const key = `${c.get("locale")}|${c.req.url}`;
    const now = c.get("clock").now().getTime();
    const hit = entries.get(key);
    if (hit && hit.expires > now) {
      c.header("X-Cache", "hit");
      for (const [k, v] of hit.headers) c.header(k, v);
      return c.body(hit.body, hit.status as 200);
    }
    await next();
    if (c.res.status === 200) {
      const body = await c.res.clone().text();
      const headers: [string, string][] = [[
        "Content-Type",
        c.res.headers.get("content-type") ?? "application/json",
      ]];
      if (entries.size >= options.maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, { body, status: 200, headers, expires: now + options.ttlMs });
      setResponseHeader(c, "X-Cache", "miss");
    }
  };
  return { middleware, clear: () => entries.clear() };
}
