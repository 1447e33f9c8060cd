/**
 * When each learner's FSRS weights are (re)fitted: in the background, never on
 * an answer's request path. An answer only *notices* the learner (in memory, no
 * I/O); a moment later the fitter checks the evidence (one query, at most once a
 * minute per learner) and queues a fit once there are 400 reviews over at least
 * 50 words, then after every further 500. `POST /api/vocabulary/model/refit`
 * queues one directly.
 *
 * Fits run one at a time per process and yield to the event loop between
 * mini-batches (a macrotask each), so other requests are served while a fit
 * runs; a 10,000-review fit takes well under 2 s of CPU (bench/srs.ts). This
 * also runs on Deno Deploy, where Web Workers cannot be relied on.
 */
import { countRoundTrips, type Db } from "../db/client.ts";
import { loadEvidence, loadHistory, type ModelRow, saveModel } from "../db/fsrs_models.ts";
import { fitAndEvaluate, FitError } from "../domain/fsrs_fitting.ts";
import type { Clock } from "../platform/clock.ts";
import { macrotask, timeSlicedYield } from "../platform/yielding.ts";

export const MIN_REVIEWS = 400;
export const MIN_WORDS = 50;
export const REFIT_EVERY = 500;
const CHECK_EVERY_MS = 60_000;

export interface Evidence {
  reviews: number;
  words: number;
  model: ModelRow | null;
}

/** What is still missing before a first fit (zeros when there is enough). */
export function missingEvidence(e: { reviews: number; words: number }) {
  return {
    reviews: Math.max(0, MIN_REVIEWS - e.reviews),
    words: Math.max(0, MIN_WORDS - e.words),
  };
}

/** Whether an automatic fit is due. */
export function fitDue(e: Evidence): boolean {
  const missing = missingEvidence(e);
  if (missing.reviews > 0 || missing.words > 0) return false;
  return !e.model || e.reviews >= e.model.reviewCount + REFIT_EVERY;
}

export class ModelFitter {
  /** Learners to check (`check`) or to fit, one at a time, in order. */
  #queue: { userId: string; check: boolean }[] = [];
  #fits = new Set<string>();
  #lastCheck = new Map<string, number>();
  #running: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly clock: Clock) {}

  /** After an answer: check, later and off the request, whether a fit is due. */
  notice(userId: string) {
    const now = performance.now();
    const last = this.#lastCheck.get(userId) ?? -Infinity;
    if (this.#fits.has(userId) || now - last < CHECK_EVERY_MS) return;
    this.#lastCheck.set(userId, now);
    if (this.#lastCheck.size > 10_000) this.#lastCheck.delete(this.#lastCheck.keys().next().value!);
    this.#push({ userId, check: true });
  }

  /** Queues a fit (the caller has checked there is enough evidence). */
  enqueue(userId: string) {
    if (this.#fits.has(userId)) return;
    this.#fits.add(userId);
    this.#push({ userId, check: false });
  }

  /** Resolves once every queued check and fit has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** A fit of this learner is queued or running. */
  isQueued(userId: string) {
    return this.#fits.has(userId);
  }

  #push(task: { userId: string; check: boolean }) {
    this.#queue.push(task);
    this.#running ??= this.#drain().finally(() => {
      this.#running = null;
    });
  }

  async #drain() {
    await macrotask(); // start after the request that queued it has been answered
    while (this.#queue.length) {
      const { userId, check } = this.#queue.shift()!;
      // Its own round-trip counter: this work belongs to no request.
      await countRoundTrips(async () => {
        try {
          if (!check) await this.#fit(userId);
          else if (!this.#fits.has(userId) && fitDue(await loadEvidence(this.db, userId))) {
            this.enqueue(userId);
          }
        } catch (e) {
          log(check ? "fsrs_fit_check_failed" : "fsrs_fit_error", userId, { error: String(e) });
        } finally {
          if (!check) this.#fits.delete(userId);
        }
      }).result;
      await macrotask();
    }
  }

  async #fit(userId: string) {
    const evidence = await loadEvidence(this.db, userId);
    const history = await loadHistory(this.db, userId);
    const base = {
      userId,
      reviewCount: evidence.reviews,
      wordCount: evidence.words,
      attemptedAt: this.clock.now(),
    };
    try {
      const report = await fitAndEvaluate(history, { yieldControl: timeSlicedYield() });
      await saveModel(this.db, {
        ...base,
        parameters: report.parameters,
        active: report.better,
        status: report.better ? "fitted" : "not_better",
        fittedAt: base.attemptedAt,
        testReviews: report.testScored,
        defaultLogLoss: report.defaultLogLoss,
        fittedLogLoss: report.fittedLogLoss,
      });
    } catch (e) {
      if (!(e instanceof FitError)) throw e;
      // Discarded: the previous weights (or the defaults) stay in use.
      log("fsrs_fit_discarded", userId, { reason: e.reason, message: e.message });
      const previous = evidence.model;
      await saveModel(this.db, {
        parameters: previous?.parameters ?? null,
        active: previous?.active ?? false,
        fittedAt: previous?.fittedAt ?? null,
        testReviews: previous?.testReviews ?? null,
        defaultLogLoss: previous?.defaultLogLoss ?? null,
        fittedLogLoss: previous?.fittedLogLoss ?? null,
        ...base,
        status: "failed",
      });
    }
  }
}

function log(event: string, userId: string, extra: Record<string, unknown>) {
  console.warn(
    JSON.stringify({
      time: new Date().toISOString(),
      level: "warn",
      event,
      user_id: userId,
      ...extra,
    }),
  );
}

const fitters = new WeakMap<Db, ModelFitter>();

/** The fitter of a database (one per app instance and database). */
export function modelFitter(db: Db, clock: Clock): ModelFitter {
  let f = fitters.get(db);
  if (!f) {
    f = new ModelFitter(db, clock);
    fitters.set(db, f);
  }
  return f;
}
