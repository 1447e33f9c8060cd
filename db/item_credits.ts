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

/** The day of credits that are paid once ever (first-mastery bonuses). */
export const EVER = "ever";

/**
 * The XP credits pay, as an expression the write batch evaluates: per credit,
 * what its value adds over what the item already paid that day, plus `extra`.
 * Evaluated inside the batch's transaction, so parallel repeats cannot all
 * read "not paid yet"; the activity statements using it must come before the
 * batch's {@link creditStatements}.
 */
export function unpaidXp(userId: string, credits: readonly Credit[], extra = 0): SQL {
  const parts = credits.map((c) =>
    sql`max(0, ${c.xp} - coalesce((SELECT ${itemCredits.xp} FROM ${itemCredits}
      WHERE ${itemCredits.userId} = ${userId} AND ${itemCredits.itemKey} = ${c.key}
        AND ${itemCredits.localDate} = ${c.localDate}), 0))`
  );
  return sql`(${extra}${sql.join(parts.map((p) => sql` + ${p}`))})`;
}

/**
 * `xp`, or 0 once `limit` other items with this key prefix have paid on the day
 * (evaluated in the batch, like {@link unpaidXp}).
 */
export function withinDailyCap(
  userId: string,
  cap: { prefix: string; localDate: string; except: string; limit: number },
  xp: SQL,
): SQL {
  return sql`(CASE WHEN (SELECT count(*) FROM ${itemCredits} WHERE ${itemCredits.userId} = ${userId}
      AND ${itemCredits.localDate} = ${cap.localDate} AND ${itemCredits.xp} > 0
      AND ${itemCredits.itemKey} LIKE ${`${cap.prefix}%`} AND ${itemCredits.itemKey} <> ${cap.except})
    >= ${cap.limit} THEN 0 ELSE ${xp} END)`;
}

/** A credit an answer earns: the item, its value, and the day it counts for (or {@link EVER}). */
export interface Credit {
  key: string;
  xp: number;
  localDate: string;
}

/** Records credits, keeping the most XP an item paid on its day. */
export function creditStatements(db: Db, userId: string, credits: readonly Credit[]): Statement[] {
  if (!credits.length) return [];
  return [
    db.insert(itemCredits)
      .values(credits.map((c) => ({ userId, itemKey: c.key, localDate: c.localDate, xp: c.xp })))
      .onConflictDoUpdate({
        target: [itemCredits.userId, itemCredits.itemKey, itemCredits.localDate],
        set: { xp: sql`max(${itemCredits.xp}, excluded.xp)` },
      }),
  ];
}
