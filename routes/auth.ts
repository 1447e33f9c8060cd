/** `/api/auth`: register, login, logout, the signed-in user's profile. */
import { type Context, Hono } from "hono";
import { z } from "zod";
import {
  findUserByLogin,
  insertSessionStatement,
  insertUserWithSession,
  revokeSession,
  takenIdentifiers,
  updateUser,
} from "../db/accounts.ts";
import { deleteAccount, exportAccount } from "../db/account_data.ts";
import { loadProgressSummary } from "../db/learner_summary.ts";
import { DEFAULT_PREFERENCES, emailKey, isTimeZone, usernameKey } from "../domain/accounts.ts";
import { levelForXp } from "../domain/levels.ts";
import type { AppEnv, UserRow } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { rateLimitedError, REGISTER_WINDOW_MS } from "../http/rate_limit.ts";
import { clientAddress } from "../http/security.ts";
import { clearSessionCookie, currentUser, requireUser, setSessionCookie } from "../http/session.ts";
import { validate } from "../http/validate.ts";
import { hashToken, newSessionToken } from "../platform/tokens.ts";

const LanguageCode = z.string().regex(/^[a-z]{2}$/, "Use an ISO 639-1 code such as en or es");
const TimeZone = z.string().max(64).refine(
  isTimeZone,
  "Use an IANA time zone such as Europe/Madrid",
);
const Password = z.string().min(8, "Use at least 8 characters").max(
  128,
  "Use at most 128 characters",
);

export const RegisterBody = z.object({
  username: z.string().trim().min(3).max(32).regex(
    /^[\p{L}\p{N}_.-]+$/u,
    "Use letters, digits, dots, hyphens and underscores",
  ),
  email: z.email().max(254),
  password: Password,
  native_language: LanguageCode,
  timezone: TimeZone.optional(),
  target_languages: z.array(LanguageCode).max(10).optional(),
  display_name: z.string().trim().min(1).max(64).optional(),
  daily_goal_xp: z.number().int().min(10).max(1000).optional(),
}).strict();

export const LoginBody = z.object({
  username: z.string().trim().min(1).max(254).optional(),
  email: z.string().trim().min(1).max(254).optional(),
  password: z.string().min(1).max(128),
}).strict().refine((b) => b.username !== undefined || b.email !== undefined, {
  message: "Give a username or an email",
  path: ["username"],
});

const DeleteAccountBody = z.object({ password: z.string().min(1).max(128) }).strict();

export const PreferencesPatch = z.object({
  desired_retention: z.number().min(0.7).max(0.97),
  daily_new_limit: z.number().int().min(0).max(200),
  max_interval_days: z.number().int().min(1).max(36500),
  target_success_rate: z.number().min(0.7).max(0.95),
  daily_goal_xp: z.number().int().min(10).max(1000),
  daily_goal_minutes: z.number().int().min(5).max(240).nullable(),
  public_leaderboard: z.boolean(),
  profile_visibility: z.enum(["public", "friends", "private"]),
}).partial().strict();

export const UserPatch = z.object({
  display_name: z.string().trim().min(1).max(64).nullable(),
  native_language: LanguageCode,
  target_languages: z.array(LanguageCode).max(10),
  timezone: TimeZone,
  preferences: PreferencesPatch,
}).partial().strict();

/** The public shape of a user: never the password hash or any token. */
export function userJson(user: UserRow) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    display_name: user.displayName,
    role: user.role,
    native_language: user.nativeLanguage,
    target_languages: user.targetLanguages,
    timezone: user.timezone,
    preferences: user.preferences,
    xp: user.xp,
    level: levelForXp(user.xp).level,
    created_at: user.createdAt.toISOString(),
  };
}

const MINUTE = 60_000;
let dummyHash: Promise<string> | undefined;

export const auth = new Hono<AppEnv>()
  .post(
    "/register",
    describe({
      summary: "Create an account and sign in",
      tags: ["auth"],
      responses: { 201: "Account created; session cookie set", 409: "Taken", 429: "Too many" },
    }),
    validate("json", RegisterBody),
    async (c) => {
      const { db, clock, config, deps } = c.var;
      const body = c.req.valid("json");
      const now = clock.now();
      const counted = await deps.limiter.hit(
        db,
        `register:ip:${clientAddress(c, config)}`,
        REGISTER_WINDOW_MS,
        now,
      );
      if (counted.count > config.REGISTER_MAX_PER_ADDRESS_PER_HOUR) {
        throw rateLimited(
          counted.windowStart,
          REGISTER_WINDOW_MS,
          now,
          "Too many sign-ups from this address",
        );
      }
      const keys = { username: usernameKey(body.username), email: emailKey(body.email) };
      const taken = await takenIdentifiers(db, keys.username, keys.email);
      if (taken.username || taken.email) throw takenError(taken);

      const user = {
        id: crypto.randomUUID(),
        username: body.username,
        usernameKey: keys.username,
        email: body.email.trim(),
        emailKey: keys.email,
        passwordHash: await deps.hasher.hash(body.password),
        role: "learner" as const,
        displayName: body.display_name ?? null,
        nativeLanguage: body.native_language,
        targetLanguages: body.target_languages ?? [],
        timezone: body.timezone ?? "UTC",
        preferences: {
          ...DEFAULT_PREFERENCES,
          daily_goal_xp: body.daily_goal_xp ?? DEFAULT_PREFERENCES.daily_goal_xp,
        },
        xp: 0,
        createdAt: now,
        updatedAt: now,
      };
      const { token, session } = newSession(c, user.id, now);
      try {
        await insertUserWithSession(db, user, session);
      } catch (err) {
        // Two sign-ups raced for the same name: the unique index decides.
        if (/UNIQUE/i.test(String((err as Error).message))) {
          throw takenError(await takenIdentifiers(db, keys.username, keys.email));
        }
        throw err;
      }
      setSessionCookie(c, token, session.expiresAt);
      return c.json(
        { data: { user: userJson(user), token, expires_at: session.expiresAt.toISOString() } },
        201,
      );
    },
  )
  .post(
    "/login",
    describe({
      summary: "Sign in with username or email",
      tags: ["auth"],
      responses: {
        200: "Signed in; session cookie set",
        401: "Wrong credentials",
        429: "Too many",
      },
    }),
    validate("json", LoginBody),
    async (c) => {
      const { db, clock, config, deps } = c.var;
      const body = c.req.valid("json");
      const now = clock.now();
      const login = usernameKey(body.username ?? body.email ?? "");
      const window = config.LOGIN_WINDOW_MINUTES * MINUTE;
      // One budget per account whichever identifier was typed; an unknown one gets its own,
      // so the answers are the same whether it exists or not.
      const user = await findUserByLogin(db, login);
      const keys = [
        user ? `login:acct:${user.id}` : `login:name:${login}`,
        `login:ip:${clientAddress(c, config)}`,
      ];
      // Counted before the password is checked: parallel guesses each take a number, so no
      // more than the limit ever reach the hasher.
      const counts = await deps.limiter.hitMany(db, keys, window, now);
      const over = counts.find((r) =>
        r.count >
          (r.key === keys[0]
            ? config.LOGIN_MAX_FAILURES_PER_ACCOUNT
            : config.LOGIN_MAX_FAILURES_PER_ADDRESS)
      );
      if (over) {
        throw rateLimited(over.windowStart, window, now, "Too many failed sign-in attempts");
      }

      // An unknown user still costs one hash verification, so timing does not tell.
      dummyHash ??= deps.hasher.hash(crypto.randomUUID());
      const ok = user
        ? await deps.hasher.verify(user.passwordHash, body.password)
        : (await deps.hasher.verify(await dummyHash, body.password), false);
      if (!user || !ok) throw new ApiError("UNAUTHENTICATED", "Invalid username or password");
      const { token, session } = newSession(c, user.id, now);
      // The account's failures are forgiven; the address gives back this attempt only.
      await deps.limiter.forgive(
        db,
        { clear: [keys[0]], release: [keys[1]] },
        insertSessionStatement(db, session),
      );
      setSessionCookie(c, token, session.expiresAt);
      return c.json({
        data: { user: userJson(user), token, expires_at: session.expiresAt.toISOString() },
      });
    },
  )
  .post(
    "/logout",
    describe({ summary: "Revoke the current session", tags: ["auth"], auth: "user" }),
    requireUser,
    async (c) => {
      await revokeSession(c.get("db"), c.get("sessionId")!, c.get("clock").now());
      clearSessionCookie(c);
      return c.json({ data: { signed_out: true } });
    },
  )
  .get(
    "/user",
    describe({
      summary: "The signed-in learner: profile, preferences, progress summary",
      tags: ["auth"],
      auth: "user",
    }),
    requireUser,
    async (c) => {
      const user = currentUser(c);
      const summary = await loadProgressSummary(c.get("db"), user.id, c.get("clock").now());
      const current = c.get("session");
      const session = current ? { session: current } : null;
      return c.json({
        data: {
          ...userJson(user),
          locale: c.get("locale"),
          locale_source: c.get("localeSource"),
          session: session
            ? {
              created_at: session.session.createdAt.toISOString(),
              expires_at: session.session.expiresAt.toISOString(),
            }
            : null,
          progress_summary: { ...summary, ...levelForXp(user.xp), xp: user.xp },
        },
      });
    },
  )
  .patch(
    "/user",
    describe({ summary: "Update profile and learning preferences", tags: ["auth"], auth: "user" }),
    requireUser,
    validate("json", UserPatch),
    async (c) => {
      const user = currentUser(c);
      const body = c.req.valid("json");
      const updated = await updateUser(c.get("db"), user.id, {
        ...(body.display_name !== undefined ? { displayName: body.display_name } : {}),
        ...(body.native_language ? { nativeLanguage: body.native_language } : {}),
        ...(body.target_languages ? { targetLanguages: body.target_languages } : {}),
        ...(body.timezone ? { timezone: body.timezone } : {}),
        ...(body.preferences ? { preferences: { ...user.preferences, ...body.preferences } } : {}),
        updatedAt: c.get("clock").now(),
      });
      return c.json({ data: userJson(updated) });
    },
  )
  .get(
    "/user/export",
    describe({
      summary: "Download all of the learner's data as JSON",
      tags: ["auth"],
      auth: "user",
    }),
    requireUser,
    async (c) => {
      const user = currentUser(c);
      const data = await exportAccount(c.get("db"), user.id);
      c.header("Content-Disposition", `attachment; filename="language-learning-export.json"`);
      return c.json({
        data: { exported_at: c.get("clock").now().toISOString(), profile: userJson(user), ...data },
      });
    },
  )
  .delete(
    "/user",
    describe({
      summary: "Delete the account and all its data (re-enter the password)",
      tags: ["auth"],
      auth: "user",
      responses: { 200: "Deleted", 401: "Wrong password" },
    }),
    requireUser,
    validate("json", DeleteAccountBody),
    async (c) => {
      const user = currentUser(c);
      const { password } = c.req.valid("json");
      if (!(await c.get("deps").hasher.verify(user.passwordHash, password))) {
        throw new ApiError("UNAUTHENTICATED", "The password is not right");
      }
      await deleteAccount(c.get("db"), user.id);
      clearSessionCookie(c);
      return c.json({ data: { deleted: true } });
    },
  );

function newSession(c: Context<AppEnv>, userId: string, now: Date) {
  const token = newSessionToken();
  const absolute = c.get("config").SESSION_ABSOLUTE_DAYS * 24 * 60 * MINUTE;
  const session = {
    id: hashToken(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + absolute),
    userAgent: c.req.header("user-agent")?.slice(0, 200) ?? null,
    ip: null,
  };
  return { token, session };
}

function takenError(taken: { username: boolean; email: boolean }) {
  const details = [
    ...(taken.username ? [{ field: "username", message: "This username is taken" }] : []),
    ...(taken.email ? [{ field: "email", message: "An account with this email exists" }] : []),
  ];
  return new ApiError(
    "CONFLICT",
    taken.email ? "An account with this email already exists" : "This username is taken",
    details,
  );
}

const rateLimited = rateLimitedError;
