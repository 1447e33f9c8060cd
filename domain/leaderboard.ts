/** Leaderboard ranking. */

/**
 * Standard competition ranks ("1224") of scores already sorted best first:
 * equal scores share a rank, and the next score's rank counts everyone above it.
 */
export function competitionRanks(sortedScores: readonly number[]): number[] {
  let rank = 0;
  return sortedScores.map((score, i) => {
    if (i === 0 || score !== sortedScores[i - 1]) rank = i + 1;
    return rank;
  });
}
