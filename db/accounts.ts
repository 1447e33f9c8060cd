/** Users and sessions. */
import { and, eq, inArray, lte, or, type Placeholder, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { preparedReads, preparedStatement } from "./prepared.ts";
import { sessions, users } from "./schema.ts";

export type NewUser = typeof users.$inferInsert;
export type NewSession = typeof sessions.$inferInsert;

/** Which of a username and an email are taken (compared by their keys). */
export async function takenIdentifiers(db: Db, usernameKey: string, emailKey: string) {
  const rows = await db.select({ u: users.usernameKey, e: users.emailKey }).from(users)
    .where(or(eq(users.usernameKey, usernameKey), eq(users.emailKey, emailKey)));
  return {
    username: rows.some((r) => r.u === usernameKey),
    email: rows.some((r) => r.e === emailKey),
  };
}

/** Creates the user and their first session in one batch. */
export async function insertUserWithSession(db: Db, user: NewUser, session: NewSession) {
  await db.batch([db.insert(users).values(user), db.insert(sessions).values(session)]);
}

/** Finds a user by username key or email key. */
export async function findUserByLogin(db: Db, key: string) {
  const [row] = await db.select().from(users)
    .where(or(eq(users.usernameKey, key), eq(users.emailKey, key))).limit(1);
  return row;
}

export function insertSessionStatement(db: Db, session: NewSession) {
  return db.insert(sessions).values(session);
}

/** A session and its user in one query (to run inside a batch). */
export function findSessionQuery(db: Db, id: string | Placeholder) {
  return db.select({ session: sessions, user: users }).from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, id)).limit(1);
}

const sessionRead = preparedReads(["id"], (db, p) => [findSessionQuery(db, p.id)] as const);

/**
 * {@link findSessionQuery} on its own, built once per database: Drizzle takes
 * 119 µs to build this wide join's SQL, most of a signed-in request's lookup.
 */
export async function findSession(db: Db, id: string) {
  const [rows] = await sessionRead(db, { id });
  return rows;
}

/** {@link findSessionQuery} prepared for a batch (the session lookup of a request that also writes). */
export const findSessionStatement = (db: Db, id: string) => sessionLookup(db, { id });
const sessionLookup = preparedStatement(["id"], (db, p) => findSessionQuery(db, p.id));

const sessionTouch = preparedStatement(
  ["id", "now", "touchedBefore", "idleSince"],
  (db, p) =>
    db.run(sql`UPDATE ${sessions} SET last_seen_at = ${p.now}
    WHERE id = ${p.id} AND revoked_at IS NULL AND expires_at > ${p.now}
      AND last_seen_at < ${p.touchedBefore} AND last_seen_at > ${p.idleSince}`),
);

/**
 * Slides a live session's last-seen time forward, at most once per `everyMs`, so
 * idle expiry counts from the last request without a write on every request.
 */
export function touchSessionStatement(
  db: Db,
  id: string,
  now: Date,
  everyMs: number,
  idleMs: number,
) {
  const at = now.getTime();
  return sessionTouch(db, { id, now: at, touchedBefore: at - everyMs, idleSince: at - idleMs });
}

/** Revokes a session; it also expires now, so the purge (by expiry) removes it. */
export async function revokeSession(db: Db, id: string, at: Date) {
  await db.update(sessions).set({ revokedAt: at, expiresAt: at })
    .where(and(eq(sessions.id, id), sql`${sessions.revokedAt} IS NULL`));
}

/**
 * Deletes at most `limit` sessions past their absolute expiry (revoked ones
 * included), through the expiry index. Sessions that died idle go at their
 * absolute expiry: finding them would need a scan of every session.
 */
export function purgeSessionsStatement(db: Db, now: Date, limit: number) {
  return db.delete(sessions).where(inArray(
    sql`rowid`,
    db.select({ id: sql`rowid` }).from(sessions).where(lte(sessions.expiresAt, now)).limit(limit),
  ));
}

export async function updateUser(db: Db, id: string, values: Partial<NewUser>) {
  const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
  return row;
}
