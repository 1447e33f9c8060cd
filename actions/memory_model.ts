/**
 * The learner's memory model: the FSRS weights their reviews are scheduled with,
 * how much evidence a personal fit still needs, and how the fit predicts their
 * recent reviews against the defaults.
 */
import { activeParameters, loadEvidence } from "../db/fsrs_models.ts";
import { DEFAULT_PARAMETERS } from "../domain/fsrs_fitting.ts";
import { logLossView, modelImprovement, modelMessage } from "../domain/memory_report.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { MIN_REVIEWS, missingEvidence, modelFitter, REFIT_EVERY } from "./model_fitting.ts";

export async function memoryModel(deps: ActionDeps, user: Learner) {
  const { db, clock } = deps;
  const evidence = await loadEvidence(db, user.id);
  const model = evidence.model;
  const missing = missingEvidence(evidence);
  const inUse = activeParameters(model ? [model] : []);
  const improvement = modelImprovement(model);
  return {
    personalized: inUse !== null,
    status: model?.status ?? "default",
    fit_pending: modelFitter(db, clock).isQueued(user.id),
    parameters: inUse ?? [...DEFAULT_PARAMETERS],
    default_parameters: [...DEFAULT_PARAMETERS],
    desired_retention: user.preferences.desired_retention,
    review_count: evidence.reviews,
    word_count: evidence.words,
    fitted_at: model?.fittedAt?.toISOString() ?? null,
    fitted_on_reviews: model?.fittedAt ? model.reviewCount : null,
    next_fit_at_reviews: model
      ? model.reviewCount + REFIT_EVERY
      : Math.max(evidence.reviews, MIN_REVIEWS),
    log_loss: logLossView(model),
    improvement_percent: improvement === null ? null : Math.round(improvement * 1000) / 10,
    reviews_needed: missing.reviews,
    words_needed: missing.words,
    message: modelMessage(model, missing, improvement),
  };
}
