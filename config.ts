/**
 * Configuration from the environment, parsed once at start. A bad value stops the
 * process with a message naming the variable (see main.ts).
 */
import { z } from "zod";
import { sha256Hex } from "./platform/tokens.ts";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  PORT: int(1, 65535).default(8000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z.string().regex(
    /^(file:|libsql:\/\/|https?:\/\/|wss?:\/\/)/,
    "must be a libSQL URL (file:, libsql://, https://)",
  ).default("file:data/app.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  CORS_ORIGINS: z.string().default(
    "http://localhost:5173,http://localhost:3000,http://127.0.0.1:5173,http://127.0.0.1:3000",
  ).transform((s) => s.split(",").map((o) => o.trim()).filter(Boolean)).pipe(
    z.array(z.url({ protocol: /^https?$/ }).refine((o) => !o.endsWith("/"), "no trailing slash")),
  ),
  COOKIE_SAMESITE: z.enum(["Lax", "Strict", "None"]).default("Lax"),
  /** `auto`: Secure when the request arrived over https (or SameSite=None). */
  COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
  SESSION_IDLE_MINUTES: int(5, 60 * 24 * 90).default(60 * 24 * 7),
  SESSION_ABSOLUTE_DAYS: int(1, 365).default(30),
  /** `auto`: native argon2id where the addon loads, the wasm build elsewhere (Deno Deploy). */
  PASSWORD_HASHER: z.enum(["auto", "native", "wasm"]).default("auto"),
  HASH_CONCURRENCY: int(1, 64).default(2),
  /** Take the client address from X-Forwarded-For (only behind proxies you run). */
  TRUST_PROXY: bool.default(false),
  /** How many proxies of yours append to X-Forwarded-For: the client is that many from the right. */
  TRUST_PROXY_HOPS: int(1, 10).default(1),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1000).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: int(1, 10000).default(30),
  LOGIN_WINDOW_MINUTES: int(1, 1440).default(15),
  REGISTER_MAX_PER_ADDRESS_PER_HOUR: int(1, 100000).default(30),
  /** Answers checked per learner per minute, across all their sessions (0 disables the limit). */
  ANSWER_RATE_LIMIT_PER_MINUTE: int(0, 100000).default(120),
  /** `database` (shared by all instances) or `memory` (one instance only). */
  RATE_LIMIT_STORE: z.enum(["database", "memory"]).default("database"),
  BODY_LIMIT_BYTES: int(1024, 50 * 1024 * 1024).default(1024 * 1024),
  /** Largest audio file `POST /api/audio` accepts (decoded bytes); larger ones get 413. */
  AUDIO_MAX_BYTES: int(1024, 100 * 1024 * 1024).default(5 * 1024 * 1024),
  SEED_ON_START: bool.default(true),
  /**
   * Anonymous catalogue reads are cached per instance this long; a content write
   * clears its own instance's cache, other instances converge within it.
   */
  CATALOGUE_CACHE_SECONDS: int(0, 3600).default(30),
  /**
   * Serving workers (threads sharing the port). Default: every core for an embedded
   * file, 1 for a remote database (Deno Deploy runs one isolate per instance).
   */
  WORKERS: int(1, 256).optional(),
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 600).default(10),
  /** Minutes between purges of expired sessions and rate-limit counters (0: only at start). */
  PURGE_INTERVAL_MINUTES: int(0, 1440).default(10),
  /** Rows each purge deletes at most per table, so a purge never holds the database long. */
  PURGE_BATCH_ROWS: int(1, 100_000).default(500),
  FSRS_FUZZ: bool.default(true),
  LOG_REQUESTS: bool.default(true),
  /**
   * Signs quiz attempt tokens and quiz audio URLs (HMAC-SHA-256). Set it in
   * production, the same on every instance; unset, it is derived from the
   * database settings (see {@link loadConfig}).
   */
  QUIZ_TOKEN_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
});

export type Config = z.infer<typeof EnvSchema> & { QUIZ_TOKEN_SECRET: string };

/** Parses environment variables; throws {@link ConfigError} naming each bad one. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in EnvSchema.shape && v !== undefined && v !== ""),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => `${String(i.path[0] ?? "?")}: ${i.message}`),
    );
  }
  return {
    ...result.data,
    // A random per-process default would break every instance but the one that signed a
    // token. Derived from the database URL and its token, it is stable for every instance
    // of one deployment, but only as secret as DATABASE_AUTH_TOKEN: fine for local use,
    // not a substitute for setting QUIZ_TOKEN_SECRET in production.
    QUIZ_TOKEN_SECRET: result.data.QUIZ_TOKEN_SECRET ??
      sha256Hex(
        `quiz-token-secret|${result.data.DATABASE_URL}|${result.data.DATABASE_AUTH_TOKEN ?? ""}`,
      ),
  };
}

/** The defaults, for tests and tools. */
export function defaultConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), ...overrides };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}
