/** `/api/goals`: learner-set goals with a projected completion from the learner's pace. */
import { Hono } from "hono";
import { z } from "zod";
import { loadCourse } from "../db/catalog.ts";
import { deleteGoal, goalsWithPace, insertGoal } from "../db/social.ts";
import { addDays, daysBetween, localDate } from "../domain/calendar.ts";
import { localized } from "../domain/localize.ts";
import type { AppEnv } from "../http/env.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const GoalBody = z.object({
  course_id: z.string().min(1).max(128),
  target_date: z.iso.date(),
}).strict();

/** Pace is measured over this many recent days. */
const PACE_DAYS = 14;

export const goalsRoutes = new Hono<AppEnv>()
  .post(
    "/",
    describe({
      summary: "Set a goal: finish a course by a date",
      tags: ["progress"],
      auth: "user",
    }),
    requireUser,
    validate("json", GoalBody),
    async (c) => {
      const user = currentUser(c);
      const body = c.req.valid("json");
      const now = c.var.clock.now();
      if (body.target_date <= localDate(now, user.timezone)) {
        throw badRequest("The target date must be in the future", [
          { field: "target_date", message: "Must be after today" },
        ]);
      }
      const course = await loadCourse(c.var.db, body.course_id, user.id);
      if (!course) throw notFound("Course");
      const id = crypto.randomUUID();
      await insertGoal(c.var.db, {
        id,
        userId: user.id,
        courseId: body.course_id,
        targetDate: body.target_date,
        createdAt: now,
      });
      return c.json(
        { data: { id, course_id: body.course_id, target_date: body.target_date } },
        201,
      );
    },
  )
  .get(
    "/",
    describe({
      summary: "Goals with progress and a projected completion date from the last 14 days' pace",
      tags: ["progress"],
      auth: "user",
    }),
    requireUser,
    async (c) => {
      const user = currentUser(c);
      const now = c.var.clock.now();
      const today = localDate(now, user.timezone);
      const { rows, recent } = await goalsWithPace(
        c.var.db,
        user.id,
        new Date(now.getTime() - PACE_DAYS * 86_400_000),
      );
      return c.json({
        data: rows.map((r) => {
          const done = r.progress?.completedLessons ?? 0;
          const total = Number(r.total);
          const remaining = Math.max(0, total - done);
          const pace = (recent.get(r.goal.courseId) ?? 0) / PACE_DAYS; // lessons per day
          const projected = remaining === 0
            ? today
            : pace > 0
            ? addDays(today, Math.ceil(remaining / pace))
            : null;
          return {
            id: r.goal.id,
            course_id: r.goal.courseId,
            course_title: localized(r.courseTitle, c.var.locale),
            target_date: r.goal.targetDate,
            lessons_done: done,
            lessons_total: total,
            pace_lessons_per_week: Math.round(pace * 7 * 10) / 10,
            projected_completion: projected,
            on_track: projected !== null && projected <= r.goal.targetDate,
            achieved: remaining === 0,
            days_left: daysBetween(today, r.goal.targetDate),
          };
        }),
      });
    },
  )
  .delete(
    "/:id",
    describe({ summary: "Delete a goal", tags: ["progress"], auth: "user" }),
    requireUser,
    validate("param", IdParam),
    async (c) => {
      if (!(await deleteGoal(c.var.db, currentUser(c).id, c.req.valid("param").id))) {
        throw notFound("Goal");
      }
      return c.json({ data: { id: c.req.valid("param").id, deleted: true } });
    },
  );
