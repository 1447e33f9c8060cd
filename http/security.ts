/**
 * Cross-origin rules and client identity: CORS with credentials for the
 * allow-list only, an Origin check on state-changing requests (Hono's csrf()
 * ignores JSON requests), security headers, and the client address used by rate
 * limits.
 */
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { getConnInfo } from "hono/deno";
import type { AppEnv } from "./env.ts";
import { forbidden } from "./errors.ts";
import { setResponseHeader } from "./response_headers.ts";

/**
 * CORS for the configured origins, with credentials; unknown origins get no
 * CORS headers. Requests without `Origin` (servers, curl, same-origin GETs)
 * skip the middleware: CORS headers mean nothing to them, and `Vary: Origin`
 * is part of every response (see {@link securityHeaders}) for shared caches.
 */
export function corsForOrigins(origins: string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  const handler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    credentials: true,
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization", "X-Request-Id", "Range", "If-None-Match"],
    exposeHeaders: ["X-Request-Id", "Retry-After", "Server-Timing", "Content-Range", "ETag"],
    maxAge: 600,
  });
  return (c, next) => (c.req.raw.headers.has("origin") ? handler(c, next) : next());
}

/**
 * A browser sends `Origin` with every cross-site (and same-origin fetch) POST, so
 * a state-changing request from a foreign page is refused here. Requests without
 * `Origin` come from non-browser clients, which cannot ride a victim's cookie.
 */
export function originCheck(origins: string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(origins);
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    const origin = c.req.header("origin");
    if (origin && origin !== "null") {
      const self = new URL(c.req.url).origin;
      if (!allowed.has(origin) && origin !== self) {
        throw forbidden("Requests from this origin are not allowed");
      }
    } else if (origin === "null") {
      throw forbidden("Requests from this origin are not allowed");
    } else if (c.req.header("sec-fetch-site") === "cross-site") {
      throw forbidden("Cross-site requests are not allowed");
    }
    await next();
  };
}

/**
 * The headers OWASP's REST cheat sheet asks of a JSON API, HSTS for a year,
 * and one `Vary` for what responses depend on; JSON gets its charset, as the
 * contract says. A fixed, short list set in place after the handler: each
 * header costs every request (measured: 16 extra headers halve a bare
 * `Deno.serve`'s requests/s), and the browser headers a page needs
 * (X-XSS-Protection, Referrer-Policy, COOP and the like) do nothing for JSON.
 * A header a route already set wins (the docs page relaxes the CSP for its
 * viewer; audio sets its own `Vary` and resource policy).
 */
const SECURITY_HEADERS: [string, string][] = [
  ["Strict-Transport-Security", "max-age=31536000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
  ["Vary", "Origin, Accept-Language, Authorization, Cookie"],
];

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of SECURITY_HEADERS) {
      if (!c.res.headers.has(name)) setResponseHeader(c, name, value);
    }
    if (c.res.headers.get("content-type") === "application/json") {
      setResponseHeader(c, "Content-Type", "application/json; charset=utf-8");
    }
  };
}

/**
 * The client's address for rate limiting: the socket's peer, or, behind
 * `TRUST_PROXY_HOPS` proxies of your own, the `X-Forwarded-For` entry the
 * outermost of them appended. Each proxy appends the peer it saw, so entries to
 * the left of that one are whatever the client sent and are ignored.
 */
export function clientAddress(
  c: Context,
  config: { TRUST_PROXY: boolean; TRUST_PROXY_HOPS: number },
): string {
  if (config.TRUST_PROXY) {
    const hops = c.req.header("x-forwarded-for")?.split(",").map((h) => h.trim())
      .filter(Boolean);
    if (hops?.length) return hops[Math.max(0, hops.length - config.TRUST_PROXY_HOPS)];
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
