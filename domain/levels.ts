/**
 * The level curve. Reaching level n takes 50·n·(n−1) XP in total, so each level
 * costs 100 XP more than the one before (100, 200, 300 ...): early levels come
 * quickly, later ones reward sustained practice.
 */

/** Total XP needed to reach `level` (level 1 needs 0). */
export function xpForLevel(level: number): number {
  return 50 * level * (level - 1);
}

/** The level for a total XP, with progress toward the next one. */
export function levelForXp(xp: number): {
  level: number;
  xp_into_level: number;
  xp_for_next_level: number;
} {
  const total = Math.max(0, Math.floor(xp));
  // Invert 50·n·(n−1) ≤ xp, then correct for floating point at the boundaries.
  let level = Math.max(1, Math.floor((1 + Math.sqrt(1 + total / 12.5)) / 2));
  while (xpForLevel(level + 1) <= total) level++;
  while (level > 1 && xpForLevel(level) > total) level--;
  return {
    level,
    xp_into_level: total - xpForLevel(level),
    xp_for_next_level: xpForLevel(level + 1) - xpForLevel(level),
  };
}

/** Levels climbed by the last `recentXp` of a `totalXp` (what a period's XP was worth). */
export function levelsGained(totalXp: number, recentXp: number): number {
  return levelForXp(totalXp).level - levelForXp(totalXp - recentXp).level;
}
