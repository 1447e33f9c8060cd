/** `/api/auth`: register, login, logout, the signed-in user's profile. */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { revokeSession, updateUser } from "../db/accounts.ts";
import { deleteAccount, exportAccount } from "../db/account_data.ts";
import { type AccountDeps, type Caller, logIn, register } from "../actions/accounts.ts";
import { loadProgressSummary } from "../db/learner_summary.ts";
import { isTimeZone } from "../domain/accounts.ts";
import { levelForXp } from "../domain/levels.ts";
import type { AppEnv, UserRow } from "../http/env.ts";
import { ApiError } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { clientAddress } from "../http/security.ts";
import { clearSessionCookie, currentUser, requireUser, setSessionCookie } from "../http/session.ts";
import { validate } from "../http/validate.ts";

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
      const body = c.req.valid("json");
      const signedUp = await register(accountDeps(c), {
        username: body.username,
        email: body.email,
        password: body.password,
        displayName: body.display_name,
        nativeLanguage: body.native_language,
        targetLanguages: body.target_languages,
        timezone: body.timezone,
        dailyGoalXp: body.daily_goal_xp,
      }, callerOf(c));
      return c.json({ data: signedIn(c, signedUp) }, 201);
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
      const body = c.req.valid("json");
      const login = body.username ?? body.email ?? "";
      const session = await logIn(accountDeps(c), { login, password: body.password }, callerOf(c));
      return c.json({ data: signedIn(c, session) });
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

/** The deps the account actions take: an action's, plus the hasher and the limiter. */
function accountDeps(c: Context<AppEnv>): AccountDeps {
  const { deps } = c.var;
  return { ...c.var, hasher: deps.hasher, limiter: deps.limiter };
}

function callerOf(c: Context<AppEnv>): Caller {
  return {
    address: clientAddress(c, c.get("config")),
    userAgent: c.req.header("user-agent") ?? null,
  };
}

/** Sets the session cookie and answers with the user and the token (its only appearance). */
function signedIn(c: Context<AppEnv>, s: { user: UserRow; token: string; expiresAt: Date }) {
  setSessionCookie(c, s.token, s.expiresAt);
  return { user: userJson(s.user), token: s.token, expires_at: s.expiresAt.toISOString() };
}
