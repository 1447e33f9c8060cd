/**
 * Sessions: who is calling. A token arrives as `Authorization: Bearer` or the
 * `session` cookie; only its SHA-256 is looked up. Sessions expire when idle
 * and at an absolute age, and logout revokes them.
 */
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { findSession, findSessionStatement, touchSessionStatement } from "../db/accounts.ts";
import {
  ANSWER_WINDOW_MS,
  isAnswerEndpoint,
  rateLimitedError,
  type RateLimiter,
} from "./rate_limit.ts";
import type { Role } from "../db/schema.ts";
import { chooseLocale } from "../domain/localize.ts";
import { hashToken } from "../platform/tokens.ts";
import type { AppEnv, UserRow } from "./env.ts";
import { setResponseHeader } from "./response_headers.ts";
import { forbidden, unauthenticated } from "./errors.ts";

export const SESSION_COOKIE = "session";
/** Sliding-expiry writes are skipped when the session was seen this recently. */
const TOUCH_AFTER_MS = 60_000;
const ANSWERS_PREFIX = "answers:";
const recentlyTouched = new Map<string, number>();

function rememberTouch(id: string, at: number) {
  recentlyTouched.set(id, at);
  // Bounded: forgetting a session only costs one extra (conditional) write.
  if (recentlyTouched.size > 50_000) recentlyTouched.delete(recentlyTouched.keys().next().value!);
}

/**
 * Resolves the caller's session if there is one, in one round trip that also
 * slides its idle expiry and, on answer-checking endpoints, counts the request
 * against the learner's answer limit. Never refuses a request for lack of a
 * session itself (routes decide), but does refuse one over the answer limit.
 */
export function loadSession(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const bearer = header?.match(/^Bearer\s+([A-Za-z0-9_-]{20,200})$/i)?.[1];
    const token = bearer ?? getCookie(c, SESSION_COOKIE);
    if (token && token.length <= 200) {
      const { db, clock, config } = c.var;
      const id = hashToken(token);
      const now = clock.now();
      const idleMs = config.SESSION_IDLE_MINUTES * 60_000;
      const limited = isAnswerEndpoint(c.req.method, c.req.path) &&
        config.ANSWER_RATE_LIMIT_PER_MINUTE > 0;
      // Counted per learner (resolved from the session inside the statement): a new login
      // makes a new session, so a per-session count would restart at every login.
      const extra = limited
        ? limiter.sessionUserStatement(db, ANSWERS_PREFIX, id, ANSWER_WINDOW_MS, now)
        : null;
      // Touch at most once a minute per session from this process: most requests stay read-only.
      const touch = now.getTime() - (recentlyTouched.get(id) ?? 0) > TOUCH_AFTER_MS;
      // A lone lookup skips the batch (its BEGIN and COMMIT would be two more statements)
      // and runs prepared.
      const results = touch || extra
        ? await db.batch([
          findSessionStatement(db, id),
          ...(touch ? [touchSessionStatement(db, id, now, TOUCH_AFTER_MS, idleMs)] : []),
          ...(extra ? [extra] : []),
        ])
        : [await findSession(db, id)];
      if (touch) rememberTouch(id, now.getTime());
      const [found] = results[0] as Awaited<ReturnType<typeof findSession>>;
      if (found && isLive(found.session, now, config.SESSION_IDLE_MINUTES)) {
        c.set("user", found.user);
        c.set("sessionId", id);
        c.set("session", found.session);
        c.set("authVia", bearer ? "bearer" : "cookie");
        const count = extra
          ? limiter.readStatement(results[results.length - 1])
          : limited
          ? await limiter.hit(db, `${ANSWERS_PREFIX}${found.user.id}`, ANSWER_WINDOW_MS, now)
          : null;
        if (count && count.count > config.ANSWER_RATE_LIMIT_PER_MINUTE) {
          throw rateLimitedError(
            count.windowStart,
            ANSWER_WINDOW_MS,
            now,
            "Too many answers in a minute",
          );
        }
      }
    }
    const { locale, source } = chooseLocale(
      c.get("user")?.nativeLanguage,
      c.req.header("accept-language"),
    );
    c.set("locale", locale);
    c.set("localeSource", source);
    await next();
    setResponseHeader(c, "Content-Language", locale);
  };
}

function isLive(
  s: { revokedAt: Date | null; expiresAt: Date; lastSeenAt: Date },
  now: Date,
  idleMinutes: number,
): boolean {
  return s.revokedAt === null && s.expiresAt > now &&
    s.lastSeenAt.getTime() + idleMinutes * 60_000 > now.getTime();
}

/** Refuses anonymous callers with 401. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get("user")) {
    throw unauthenticated("Sign in to continue: the session is missing, expired or revoked");
  }
  await next();
};

/** Refuses callers without one of the roles (401 when anonymous, 403 otherwise). */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get("user");
    if (!user) throw unauthenticated();
    if (!roles.includes(user.role)) {
      throw forbidden(`This needs the ${roles.join(" or ")} role`);
    }
    await next();
  };
}

/** The signed-in user; only call behind {@link requireUser}. */
export function currentUser(c: Context<AppEnv>): UserRow {
  const user = c.get("user");
  if (!user) throw unauthenticated();
  return user;
}

/** Whether cookies get `Secure`: configured, or `auto` and the request came over https. */
export function secureCookies(c: Context<AppEnv>): boolean {
  const { config } = c.var;
  const https = new URL(c.req.url).protocol === "https:" ||
    (config.TRUST_PROXY && c.req.header("x-forwarded-proto") === "https");
  return config.COOKIE_SAMESITE === "None" || config.COOKIE_SECURE === "true" ||
    (config.COOKIE_SECURE === "auto" && https);
}

/** Sets the session cookie with the configured SameSite and Secure rules. */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date) {
  const { config } = c.var;
  const secure = secureCookies(c);
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: config.COOKIE_SAMESITE,
    secure,
    path: "/",
    expires: expiresAt,
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - c.get("clock").now().getTime()) / 1000)),
  });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}
