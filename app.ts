/**
 * The app factory: `main.ts` and every test build the whole API from here with
 * their own database, configuration, clock and password hasher.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppDeps, AppEnv } from "./http/env.ts";
import { ApiError, errorHandler, notFoundHandler } from "./http/errors.ts";
import { requestLogging } from "./http/logging.ts";
import { corsForOrigins, originCheck, securityHeaders } from "./http/security.ts";
import { databaseRateLimiter, memoryRateLimiter, type RateLimiter } from "./http/rate_limit.ts";
import { preparedReadiness, type Readiness, requireReadyDatabase } from "./http/readiness.ts";
import { responseCache } from "./http/response_cache.ts";
import { loadSession } from "./http/session.ts";
import { achievementsRoutes } from "./routes/achievements.ts";
import { adminRoutes } from "./routes/admin.ts";
import { audioRoutes } from "./routes/audio.ts";
import { auth } from "./routes/auth.ts";
import { contentRoutes } from "./routes/content.ts";
import { certificatesRoutes } from "./routes/certificates.ts";
import { coursesRoutes } from "./routes/courses.ts";
import { goalsRoutes } from "./routes/goals.ts";
import { grammarRoutes } from "./routes/grammar.ts";
import { languagesRoutes } from "./routes/languages.ts";
import { learnRoutes } from "./routes/learn.ts";
import { lessonsRoutes } from "./routes/lessons.ts";
import { progressRoutes } from "./routes/progress.ts";
import { quizzesRoutes } from "./routes/quizzes.ts";
import { placementRoutes } from "./routes/placement.ts";
import { pronunciationRoutes } from "./routes/pronunciation.ts";
import { socialRoutes } from "./routes/social.ts";
import { translationsRoutes } from "./routes/translations.ts";
import { vocabularyRoutes } from "./routes/vocabulary.ts";
import { writingRoutes } from "./routes/writing.ts";
import { docs } from "./routes/docs.ts";
import { health } from "./routes/health.ts";

/** Builds the API. The rate limiter defaults to the store named by `RATE_LIMIT_STORE`. */
export function createApp(
  input: Omit<AppDeps, "limiter" | "readiness"> & { limiter?: RateLimiter; readiness?: Readiness },
) {
  const { config } = input;
  const deps: AppDeps = {
    ...input,
    limiter: input.limiter ??
      (config.RATE_LIMIT_STORE === "memory" ? memoryRateLimiter() : databaseRateLimiter()),
    readiness: input.readiness ?? preparedReadiness(),
  };
  const app = new Hono<AppEnv>();
  app.onError(errorHandler);
  app.notFound(notFoundHandler);

  app.use("*", requestLogging(config.LOG_REQUESTS));
  app.use("*", securityHeaders());
  app.use("*", corsForOrigins(config.CORS_ORIGINS));
  app.use("*", (c, next) => {
    c.set("deps", deps);
    c.set("db", deps.database.db);
    c.set("clock", deps.clock);
    c.set("config", config);
    return next();
  });
  const globalBodyLimit = bodyLimit({
    maxSize: config.BODY_LIMIT_BYTES,
    onError: () => {
      throw new ApiError(
        "PAYLOAD_TOO_LARGE",
        `Request body is larger than ${config.BODY_LIMIT_BYTES} bytes`,
      );
    },
  });
  // Only requests that can carry a body are measured. Audio uploads have their own,
  // larger limit (AUDIO_MAX_BYTES, in routes/audio.ts).
  app.use("*", (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    if (method === "POST" && /^\/api\/audio\/?$/.test(c.req.path)) return next();
    return globalBodyLimit(c, next);
  });
  app.use("*", originCheck(config.CORS_ORIGINS));
  app.use("/api/*", requireReadyDatabase(deps.readiness));
  app.use("/api/*", loadSession(deps.limiter));
  // Public catalogue reads are cached per URL and language; content writes clear it.
  const catalogue = responseCache({
    ttlMs: config.CATALOGUE_CACHE_SECONDS * 1000,
    maxEntries: 500,
  });
  for (const path of ["/api/languages", "/api/courses", "/api/courses/*"]) {
    app.use(path, catalogue.middleware);
  }
  app.use("/api/*", async (c, next) => {
    if (c.req.method === "GET") return next();
    await next();
    const role = c.get("user")?.role;
    if ((role === "editor" || role === "admin") && c.res.status < 400) catalogue.clear();
  });

  const routes = app
    .route("/api/health", health)
    .route("/api/auth", auth)
    .route("/api/languages", languagesRoutes)
    .route("/api/courses", coursesRoutes)
    .route("/api/lessons", lessonsRoutes)
    .route("/api/grammar", grammarRoutes)
    .route("/api/vocabulary", vocabularyRoutes)
    .route("/api/quizzes", quizzesRoutes)
    .route("/api/certificates", certificatesRoutes)
    .route("/api/writing", writingRoutes)
    .route("/api/progress", progressRoutes)
    .route("/api/achievements", achievementsRoutes)
    .route("/api/social", socialRoutes)
    .route("/api/goals", goalsRoutes)
    .route("/api/audio", audioRoutes)
    .route("/api/pronunciation", pronunciationRoutes)
    .route("/api/translations", translationsRoutes)
    .route("/api/placement", placementRoutes)
    .route("/api/learn", learnRoutes)
    .route("/api/content", contentRoutes)
    .route("/api/admin", adminRoutes)
    .route("/api", docs(() => app));
  return routes;
}

/** The app's type, for Hono's typed client: `hc<AppType>(baseUrl)`. */
export type AppType = ReturnType<typeof createApp>;
