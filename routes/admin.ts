/** `/api/admin`: account administration (admin only). */
import { Hono } from "hono";
import { z } from "zod";
import { setRole } from "../db/content_admin.ts";
import type { AppEnv } from "../http/env.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { IdParam } from "../http/queries.ts";
import { currentUser, requireRole } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const RoleBody = z.object({ role: z.enum(["learner", "editor", "admin"]) }).strict();

export const adminRoutes = new Hono<AppEnv>()
  .put(
    "/users/:id/role",
    describe({ summary: "Set a user's role (admin only)", tags: ["admin"], auth: "admin" }),
    requireRole("admin"),
    validate("param", IdParam),
    validate("json", RoleBody),
    async (c) => {
      const { id } = c.req.valid("param");
      if (id === currentUser(c).id) throw badRequest("Admins cannot change their own role");
      const updated = await setRole(c.var.db, id, c.req.valid("json").role);
      if (!updated) throw notFound("User");
      return c.json({ data: updated });
    },
  );
