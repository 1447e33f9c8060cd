/**
 * What a learning action is given: the database, the clock, the configuration and
 * the learner's language for explanations. Plain values, so an action runs the same
 * from a route handler, a test or a script; route handlers build it with `actionDeps`.
 */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { users } from "../db/schema.ts";
import type { Locale } from "../domain/content_schema.ts";
import type { Clock } from "../platform/clock.ts";

export interface ActionDeps {
  db: Db;
  clock: Clock;
  config: Config;
  locale: Locale;
}

/** The signed-in learner an action is done for. */
export type Learner = typeof users.$inferSelect;
