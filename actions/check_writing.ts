/**
 * Check a short text: expected words and common grammar errors; pay XP for a
 * substantive text (once a text a day, a few texts a day at most), log the
 * writing activity and award what it earned, in one atomic batch.
 */
import { creditStatements, paidToday, PaidXp } from "../db/item_credits.ts";
import { activityStatements } from "../db/learning_records.ts";
import { loadWritingCheck, WRITING_CREDIT } from "../db/writing_practice.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { localDate } from "../domain/calendar.ts";
import { localized } from "../domain/localize.ts";
import { checkWriting, LIMITATIONS } from "../domain/writing_check.ts";
import { repeatXp, substantiveText, WRITING_TEXTS_PER_DAY, writingXp } from "../domain/xp.ts";
import { notFound } from "../http/errors.ts";
import { sha256Hex } from "../platform/tokens.ts";
import { awardPlan } from "./awards.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { runWriteBatch } from "./write_batch.ts";

/** Scripts written without spaces between words. */
const NO_SPACES = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

export interface WritingAnswer {
  /** The target language, by code or id. */
  language: string;
  text: string;
  /** Words the answer should use (e.g. from the task's instructions). */
  expectedWords: string[];
  timeSpentSeconds: number;
}

export async function checkWritingAnswer(deps: ActionDeps, user: Learner, input: WritingAnswer) {
  const { db, clock, locale } = deps;
  const now = clock.now();
  const today = localDate(now, user.timezone);
  const { language, known, credits } = await loadWritingCheck(db, {
    language: input.language,
    userId: user.id,
    localDate: today,
  });
  if (!language) throw notFound(`Language ${input.language}`);
  const result = checkWriting(language.code, input.text, known, input.expectedWords);
  // Filler earns nothing; a text pays once a day, and a few texts a day at most.
  const value = writingXp(
    substantiveText({ ...result, spaced: !NO_SPACES.test(input.text) }),
    result.checks_passed,
  );
  const key = `${WRITING_CREDIT}${sha256Hex(answerKey(input.text))}`;
  const paid = paidToday(credits, today);
  const full = [...paid.values()].filter((x) => x > 0).length >= WRITING_TEXTS_PER_DAY;
  const xp = full && !paid.has(key) ? 0 : repeatXp(value, paid.get(key) ?? 0);
  // The ledger decides in the batch, so parallel copies of a text pay once.
  const credit = { key, xp: value, localDate: today };
  const ledgerXp = new PaidXp([credit], {
    cap: { prefix: WRITING_CREDIT, localDate: today, except: key, limit: WRITING_TEXTS_PER_DAY },
  });
  const awards = awardPlan(deps, user);
  const written = await runWriteBatch(db, {
    activity: activityStatements(db, {
      userId: user.id,
      kind: "writing",
      skill: "writing",
      languageId: language.id,
      correct: result.checks_passed ? 1 : 0,
      total: 1,
      score: null,
      durationSeconds: input.timeSpentSeconds,
      xp: ledgerXp,
      occurredAt: now,
      localDate: today,
    }),
    // After the activity: its XP expression reads what the credits held before.
    credits: creditStatements(db, user.id, xp ? [credit] : []),
    awards: awards.statements,
  });
  return {
    language: language.code,
    word_count: result.word_count,
    checks_passed: result.checks_passed,
    xp_earned: xp,
    issues: result.issues.map((i) => ({ ...i, message: localized(i.message, locale) })),
    expected_words: result.expected_words,
    limitations: localized(LIMITATIONS, locale),
    ...await awards.finish(written.awards, now),
  };
}
