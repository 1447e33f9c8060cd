/**
 * Cross-origin rules and client identity: CORS with credentials for the
 * allow-list only, an Origin check on state-changing requests (Hono's csrf()
 * ignores JSON requests), security headers, and the client address used by rate
 * limits.
 */
import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { getConnInfo } from "hono/deno";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env.ts";
import { forbidden } from "./errors.ts";

/** CORS for the configured origins, with credentials; unknown origins get no CORS headers. */
export function corsForOrigins(origins: string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    credentials: true,
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization", "X-Request-Id", "Range", "If-None-Match"],
    exposeHeaders: ["X-Request-Id", "Retry-After", "Server-Timing", "Content-Range", "ETag"],
    maxAge: 600,
  });
}

/**
 * A browser sends `Origin` with every cross-site (and same-origin fetch) POST, so
 * a state-changing request from a foreign page is refused here. Requests without
 * `Origin` come from non-browser clients, which cannot ride a victim's cookie.
 */
export function originCheck(origins: string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(origins);
  return async (c, next) => {
    const unsafe = !["GET", "HEAD", "OPTIONS"].includes(c.req.method);
    const origin = c.req.header("origin");
    if (unsafe && origin && origin !== "null") {
      const self = new URL(c.req.url).origin;
      if (!allowed.has(origin) && origin !== self) {
        throw forbidden("Requests from this origin are not allowed");
      }
    } else if (unsafe && origin === "null") {
      throw forbidden("Requests from this origin are not allowed");
    } else if (unsafe && c.req.header("sec-fetch-site") === "cross-site") {
      throw forbidden("Cross-site requests are not allowed");
    }
    await next();
  };
}

/** Security headers; HSTS for a year. The docs page loads its viewer from a CDN. */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    strictTransportSecurity: "max-age=31536000; includeSubDomains",
    xFrameOptions: "DENY",
    referrerPolicy: "no-referrer",
    crossOriginResourcePolicy: "cross-origin",
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
    },
  });
}

/**
 * The client's address for rate limiting: the socket's peer, or the first
 * `X-Forwarded-For` entry only when a trusted proxy is configured (the header is
 * otherwise trivially spoofed).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
