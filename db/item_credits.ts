/**
 * Per learner, item and local day: the XP an item paid and that it was
 * answered. Reads run inside an action's first batch; writes join its write
 * batch, so neither adds a round trip.
 */
import { and, eq, inArray, type SQL, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "./client.ts";
import type { Statement } from "./learning_records.ts";
import { itemCredits } from "./schema.ts";

/**
 * The learner's credits for these items (a list of keys, or a subquery giving
 * them): a day's, for XP, or any day's, for mastery.
 */
export function creditsQuery(
  db: Db,
  userId: string,
  filter: { keys: string[] | SQL; localDate?: string } | { prefix: string; localDate: string },
) {
  const which = "prefix" in filter
    ? sql`${itemCredits.itemKey} LIKE ${`${filter.prefix}%`}`
    : Array.isArray(filter.keys)
    ? inArray(itemCredits.itemKey, filter.keys.length ? filter.keys : [""])
    : inArray(itemCredits.itemKey, filter.keys);
  return db.select({
    itemKey: itemCredits.itemKey,
    localDate: itemCredits.localDate,
    xp: itemCredits.xp,
  }).from(itemCredits).where(and(
    eq(itemCredits.userId, userId),
    which,
    filter.localDate ? eq(itemCredits.localDate, filter.localDate) : undefined,
  ));
}

/** The credit key of a grammar exercise, in SQL (the same as `exercise:${id}`). */
export function exerciseKey(id: SQLWrapper): SQL {
  return sql`'exercise:' || ${id}`;
}

/** XP paid today per item key, from {@link creditsQuery} rows. */
export function paidToday(
  rows: readonly { itemKey: string; localDate: string; xp: number }[],
  localDate: string,
): Map<string, number> {
  return new Map(rows.filter((r) => r.localDate === localDate).map((r) => [r.itemKey, r.xp]));
}

/** Records credits for a day, keeping the most XP an item paid that day. */
export function creditStatements(
  db: Db,
  userId: string,
  localDate: string,
  credits: readonly { key: string; xp: number }[],
): Statement[] {
  if (!credits.length) return [];
  return [
    db.insert(itemCredits)
      .values(credits.map((c) => ({ userId, itemKey: c.key, localDate, xp: c.xp })))
      .onConflictDoUpdate({
        target: [itemCredits.userId, itemCredits.itemKey, itemCredits.localDate],
        set: { xp: sql`max(${itemCredits.xp}, excluded.xp)` },
      }),
  ];
}
