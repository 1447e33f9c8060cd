/**
 * Signing up and signing in. Both are rate limited in the database (so every
 * instance counts together) before any password is hashed or verified, and both
 * end with a new session: the caller gets its token once, the database keeps
 * only its hash. Which address a request came from and how the token travels
 * (cookie, body) are the route's business; these take the address as a value.
 */
import type { users } from "../db/schema.ts";
import {
  findUserByLogin,
  insertSessionStatement,
  insertUserWithSession,
  takenIdentifiers,
} from "../db/accounts.ts";
import { DEFAULT_PREFERENCES, emailKey, usernameKey } from "../domain/accounts.ts";
import { ApiError } from "../http/errors.ts";
import { rateLimitedError, type RateLimiter, REGISTER_WINDOW_MS } from "../http/rate_limit.ts";
import type { PasswordHasher } from "../platform/password_hasher.ts";
import { hashToken, newSessionToken } from "../platform/tokens.ts";
import type { ActionDeps } from "./deps.ts";

const MINUTE = 60_000;

/** What the account actions need beyond an action's usual deps. */
export interface AccountDeps extends ActionDeps {
  hasher: PasswordHasher;
  limiter: RateLimiter;
}

/** Where a request came from, as the route determined it. */
export interface Caller {
  address: string;
  userAgent: string | null;
}

export interface Registration {
  username: string;
  email: string;
  password: string;
  displayName?: string;
  nativeLanguage: string;
  targetLanguages?: string[];
  timezone?: string;
  dailyGoalXp?: number;
}

type UserRow = typeof users.$inferSelect;

/** A new session for `userId`: the token for the caller, the row (token hashed) to store. */
function newSession(deps: ActionDeps, userId: string, now: Date, caller: Caller) {
  const token = newSessionToken();
  const absolute = deps.config.SESSION_ABSOLUTE_DAYS * 24 * 60 * MINUTE;
  const session = {
    id: hashToken(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + absolute),
    userAgent: caller.userAgent?.slice(0, 200) ?? null,
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

/** Creates an account and signs it in. */
export async function register(deps: AccountDeps, input: Registration, caller: Caller) {
  const { db, clock, config, limiter, hasher } = deps;
  const now = clock.now();
  const counted = await limiter.hit(
    db,
    `register:ip:${caller.address}`,
    REGISTER_WINDOW_MS,
    now,
  );
  if (counted.count > config.REGISTER_MAX_PER_ADDRESS_PER_HOUR) {
    throw rateLimitedError(
      counted.windowStart,
      REGISTER_WINDOW_MS,
      now,
      "Too many sign-ups from this address",
    );
  }
  const keys = { username: usernameKey(input.username), email: emailKey(input.email) };
  const taken = await takenIdentifiers(db, keys.username, keys.email);
  if (taken.username || taken.email) throw takenError(taken);

  const user: UserRow = {
    id: crypto.randomUUID(),
    username: input.username,
    usernameKey: keys.username,
    email: input.email.trim(),
    emailKey: keys.email,
    passwordHash: await hasher.hash(input.password),
    role: "learner",
    displayName: input.displayName ?? null,
    nativeLanguage: input.nativeLanguage,
    targetLanguages: input.targetLanguages ?? [],
    timezone: input.timezone ?? "UTC",
    preferences: {
      ...DEFAULT_PREFERENCES,
      daily_goal_xp: input.dailyGoalXp ?? DEFAULT_PREFERENCES.daily_goal_xp,
    },
    xp: 0,
    createdAt: now,
    updatedAt: now,
  };
  const { token, session } = newSession(deps, user.id, now, caller);
  try {
    await insertUserWithSession(db, user, session);
  } catch (err) {
    // Two sign-ups raced for the same name: the unique index decides.
    if (/UNIQUE/i.test(String((err as Error).message))) {
      throw takenError(await takenIdentifiers(db, keys.username, keys.email));
    }
    throw err;
  }
  return { user, token, expiresAt: session.expiresAt };
}

let dummyHash: Promise<string> | undefined;

/** Signs in with a username or an email. */
export async function logIn(
  deps: AccountDeps,
  input: { login: string; password: string },
  caller: Caller,
) {
  const { db, clock, config, limiter, hasher } = deps;
  const now = clock.now();
  const login = usernameKey(input.login);
  const window = config.LOGIN_WINDOW_MINUTES * MINUTE;
  // One budget per account whichever identifier was typed; an unknown one gets its own,
  // so the answers are the same whether it exists or not.
  const user = await findUserByLogin(db, login);
  const keys = [
    user ? `login:acct:${user.id}` : `login:name:${login}`,
    `login:ip:${caller.address}`,
  ];
  // Counted before the password is checked: parallel guesses each take a number, so no
  // more than the limit ever reach the hasher.
  const counts = await limiter.hitMany(db, keys, window, now);
  const over = counts.find((r) =>
    r.count >
      (r.key === keys[0]
        ? config.LOGIN_MAX_FAILURES_PER_ACCOUNT
        : config.LOGIN_MAX_FAILURES_PER_ADDRESS)
  );
  if (over) {
    throw rateLimitedError(over.windowStart, window, now, "Too many failed sign-in attempts");
  }
  // An unknown user still costs one hash verification, so timing does not tell.
  dummyHash ??= hasher.hash(crypto.randomUUID());
  const ok = user
    ? await hasher.verify(user.passwordHash, input.password)
    : (await hasher.verify(await dummyHash, input.password), false);
  if (!user || !ok) throw new ApiError("UNAUTHENTICATED", "Invalid username or password");
  const { token, session } = newSession(deps, user.id, now, caller);
  // The account's failures are forgiven; the address gives back this attempt only.
  await limiter.forgive(
    db,
    { clear: [keys[0]], release: [keys[1]] },
    insertSessionStatement(db, session),
  );
  return { user, token, expiresAt: session.expiresAt };
}
