/**
 * Test harness: the whole app in-process over a fresh temporary database file
 * (copied from a template migrated and seeded once per test run) with a manual clock.
 */
import { eq } from "drizzle-orm";
import type { ActionDeps } from "../actions/deps.ts";
import { createApp } from "../app.ts";
import { type Config, defaultConfig } from "../config.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { users } from "../db/schema.ts";
import { modelFitter } from "../actions/model_fitting.ts";
import { ManualClock } from "../platform/clock.ts";
import { createPasswordHasher, type PasswordHasher } from "../platform/password_hasher.ts";
import { seedContent } from "../seed.ts";
import { type HranaServer, startHranaServer } from "./support/hrana_server.ts";

let template: Promise<string> | undefined;
let sharedHasher: Promise<PasswordHasher> | undefined;

async function templateFile(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lang-api-template-" });
  const path = `${dir}/template.db`;
  const db = await openDatabase(`file:${path}`);
  await migrateDatabase(db.db);
  await seedContent(db.db);
  await db.client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  return path;
}

export interface TestApp {
  app: ReturnType<typeof createApp>;
  clock: ManualClock;
  database: Database;
  config: Config;
  /** `app.request` with JSON handling and an optional bearer token. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; ip?: string },
  ): Promise<{ status: number; body: Json; headers: Headers }>;
  /** The libSQL server in front of the database file, when {@link REMOTE}. */
  hranaServer?: HranaServer;
  close(): Promise<void>;
}

// deno-lint-ignore no-explicit-any
export type Json = any;

/**
 * `TEST_DATABASE=remote` runs the same tests over the remote path: each app talks
 * to its database file through a libSQL HTTP server (tests/support/hrana_server.ts)
 * with `@libsql/client/web`, as it does against Turso on Deno Deploy.
 */
export const REMOTE = Deno.env.get("TEST_DATABASE") === "remote";

/** A copy of the migrated, seeded template database in a fresh folder. */
export async function freshDatabaseFile(): Promise<{ dir: string; path: string }> {
  template ??= templateFile();
  const dir = await Deno.makeTempDir({ prefix: "lang-api-test-" });
  const path = `${dir}/test.db`;
  await Deno.copyFile(await template, path);
  return { dir, path };
}

/**
 * A fresh app over its own database file (through a libSQL server when `remote`,
 * default {@link REMOTE}). `wrapHasher` lets a test observe the real password hasher
 * (e.g. count verifications).
 */
export async function testApp(
  overrides: Partial<Config> = {},
  options: { remote?: boolean; wrapHasher?: (real: PasswordHasher) => PasswordHasher } = {},
): Promise<TestApp> {
  const { dir, path } = await freshDatabaseFile();
  const server = options.remote ?? REMOTE ? await startHranaServer({ path }) : undefined;
  const database = await openDatabase(server ? server.url : `file:${path}`);
  const config = defaultConfig({ LOG_REQUESTS: false, FSRS_FUZZ: false, ...overrides });
  const clock = new ManualClock("2026-01-05T09:00:00Z");
  sharedHasher ??= createPasswordHasher("native", 4);
  const hasher = options.wrapHasher?.(await sharedHasher) ?? await sharedHasher;
  const app = createApp({ database, config, clock, hasher });
  return {
    app,
    clock,
    database,
    config,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: BodyInit | undefined;
      if (options.body !== undefined) {
        body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
        headers["content-type"] ??= "application/json";
      }
      const env = {
        remoteAddr: { hostname: options.ip ?? "192.0.2.1", port: 40000, transport: "tcp" },
      };
      const res = await app.request(path, { method, headers, body }, env);
      const text = await res.text();
      let parsed: Json = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch { /* not JSON: keep the text */ }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    hranaServer: server,
    async close() {
      // Background fits and checks (http/model_fitting.ts) finish before the database closes.
      await modelFitter(database.db, clock).idle();
      database.close();
      await server?.close();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

let counter = 0;

/** Registers a learner and returns their token and user. */
export async function signUp(
  t: TestApp,
  fields: Partial<
    { username: string; email: string; password: string; native_language: string; timezone: string }
  > = {},
) {
  const n = ++counter;
  const body = {
    username: fields.username ?? `learner${n}`,
    email: fields.email ?? `learner${n}@example.com`,
    password: fields.password ?? "correct horse battery",
    native_language: fields.native_language ?? "en",
    ...(fields.timezone ? { timezone: fields.timezone } : {}),
  };
  const res = await t.call("POST", "/api/auth/register", { body, ip: `198.51.100.${n % 250}` });
  if (res.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(res.body)}`);
  return {
    token: res.body.data.token as string,
    user: res.body.data.user,
    password: body.password,
  };
}

/** Gives a user a role directly in the database (as an admin CLI would). */
export async function grantRole(t: TestApp, userId: string, role: "editor" | "admin") {
  await t.database.client.execute({
    sql: "UPDATE users SET role = ? WHERE id = ?",
    args: [role, userId],
  });
}

/** Gives every word of a language (all when omitted) one recording, as seeding synthesised audio would. */
export async function recordEveryWord(t: TestApp, bytes: Uint8Array, languageId?: string) {
  await t.database.client.batch([
    {
      sql:
        `INSERT OR IGNORE INTO audio_assets (id, mime_type, byte_length, sha256, data, created_at)
        VALUES ('test-recording', 'audio/wav', ?, 'test', ?, 0)`,
      args: [bytes.length, bytes],
    },
    {
      sql: "UPDATE vocabulary SET audio_id = 'test-recording' WHERE ? IS NULL OR language_id = ?",
      args: [languageId ?? null, languageId ?? null],
    },
  ]);
}

/**
 * Prepares a lesson's mastery the only way there is: each of its words answered
 * right in vocabulary practice; returns the completion body with a right answer
 * to each of its exercises.
 */
export async function lessonAnswers(
  t: TestApp,
  token: string,
  lessonId: string,
  body: { time_spent?: number } = {},
) {
  const lesson = await t.call("GET", `/api/lessons/${lessonId}`, { token });
  if (lesson.status !== 200) throw new Error(`lesson ${lessonId}: ${lesson.status}`);
  for (const w of lesson.body.data.vocabulary) {
    await t.call("POST", `/api/vocabulary/${w.id}/practice`, {
      token,
      body: { user_answer: w.translation, response_time: 2000 },
    });
  }
  const ids: string[] = lesson.body.data.exercises.map((e: Json) => e.id);
  const rows = await t.database.client.execute({
    sql: `SELECT id, answer FROM grammar_exercises WHERE id IN (${ids.map(() => "?").join(",")})`,
    args: ids,
  });
  return {
    ...body,
    answers: rows.rows.map((r) => ({ exercise_id: String(r.id), answer: String(r.answer) })),
  };
}

/** Masters a lesson: {@link lessonAnswers}, then the completion. */
export async function masterLesson(
  t: TestApp,
  token: string,
  lessonId: string,
  body: { time_spent?: number } = {},
) {
  return await t.call("POST", `/api/lessons/${lessonId}/complete`, {
    token,
    body: await lessonAnswers(t, token, lessonId, body),
  });
}

/**
 * What an action is called with, for a learner of a test app: the app's database,
 * clock and configuration, and the learner's row as the session would load it.
 */
export async function learnerDeps(t: TestApp, userId: string, locale: "en" | "es" = "en") {
  const [user] = await t.database.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new Error(`no user ${userId}`);
  const deps: ActionDeps = { db: t.database.db, clock: t.clock, config: t.config, locale };
  return { deps, user };
}

/**
 * Row counts of the tables a learning action writes, to show that a refused
 * action wrote nothing (compare before and after).
 */
export async function learningRowCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = [
    "activity_log",
    "daily_activity",
    "weekly_xp",
    "learner_totals",
    "learner_activity_totals",
    "item_credits",
    "error_events",
    "learner_abilities",
    "item_difficulties",
    "user_grammar",
    "user_lessons",
    "user_progress",
    "user_achievements",
    "placement_tests",
  ];
  const result = await t.database.client.execute(
    `SELECT ${tables.map((name) => `(SELECT count(*) FROM ${name}) AS ${name}`).join(", ")}`,
  );
  const row = result.rows[0];
  const counts = Object.fromEntries(tables.map((name) => [name, Number(row[name])]));
  const xp = await t.database.client.execute("SELECT coalesce(sum(xp), 0) AS xp FROM users");
  return { ...counts, users_xp: Number(xp.rows[0].xp) };
}

/** Rows of a query on the test database, as plain objects. */
export async function queryRows(t: TestApp, sql: string, ...args: (string | number)[]) {
  return (await t.database.client.execute({ sql, args })).rows.map((r) => ({ ...r }));
}
