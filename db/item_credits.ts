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
 * XP that the write batch works out from credits: per credit, what its value adds
 * over what the item already paid that day, plus `extra`; 0 when `cap` says
 * `cap.limit` other items with its key prefix have paid on the day. Evaluated
 * inside the batch's transaction, so parallel repeats cannot all read "not paid
 * yet"; the activity statements using it must come before the batch's
 * {@link creditStatements}. The activity chain binds it as values of one prepared
 * statement (see {@link paidXpValues}), so its SQL is built once whatever the credits.
 */
export class PaidXp {
  constructor(
    readonly credits: readonly Credit[],
    readonly options: {
      extra?: number;
      cap?: { prefix: string; localDate: string; except: string; limit: number };
    } = {},
  ) {}
}

/** The placeholders {@link paidXpExpression} reads. */
export const PAID_XP_VALUES = [
  "userId",
  "credits",
  "extra",
  "capPrefix",
  "capDate",
  "capExcept",
  "capLimit",
] as const;

/** The values of a {@link PaidXp} for {@link PAID_XP_VALUES}. */
export function paidXpValues(userId: string, xp: PaidXp) {
  const cap = xp.options.cap;
  return {
    userId,
    credits: JSON.stringify(xp.credits.map((c) => ({ key: c.key, xp: c.xp, day: c.localDate }))),
    extra: xp.options.extra ?? 0,
    capPrefix: cap ? `${cap.prefix}%` : null,
    capDate: cap?.localDate ?? null,
    capExcept: cap?.except ?? null,
    capLimit: cap?.limit ?? null,
  };
}

/** The XP of a {@link PaidXp} in SQL over placeholders (for prepared statements). */
export function paidXpExpression(p: Record<(typeof PAID_XP_VALUES)[number], SQLWrapper>): SQL {
  return sql`(CASE WHEN ${p.capLimit} IS NOT NULL AND (SELECT count(*) FROM ${itemCredits}
      WHERE ${itemCredits.userId} = ${p.userId} AND ${itemCredits.localDate} = ${p.capDate}
        AND ${itemCredits.xp} > 0 AND ${itemCredits.itemKey} LIKE ${p.capPrefix}
        AND ${itemCredits.itemKey} <> ${p.capExcept}) >= ${p.capLimit} THEN 0
    ELSE ${p.extra} + (SELECT coalesce(sum(max(0, (c.value ->> '$.xp') - coalesce(
      (SELECT ${itemCredits.xp} FROM ${itemCredits} WHERE ${itemCredits.userId} = ${p.userId}
        AND ${itemCredits.itemKey} = c.value ->> '$.key'
        AND ${itemCredits.localDate} = c.value ->> '$.day'), 0))), 0)
      FROM json_each(${p.credits}) AS c) END)`;
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
