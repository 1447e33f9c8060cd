/** `/api/certificates`: public verification of a course certificate. */
import { Hono } from "hono";
import { z } from "zod";
import { findCertificate } from "../db/quizzes.ts";
import { localized } from "../domain/localize.ts";
import type { AppEnv } from "../http/env.ts";
import { notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { validate } from "../http/validate.ts";

const PublicId = z.object({ public_id: z.string().min(8).max(32).regex(/^[A-Za-z0-9_-]+$/) });

export const certificatesRoutes = new Hono<AppEnv>()
  .get(
    "/:public_id",
    describe({
      summary: "Verify a certificate by its public id (no private data of the learner)",
      tags: ["quizzes"],
      auth: "none",
    }),
    validate("param", PublicId),
    async (c) => {
      const found = await findCertificate(c.var.db, c.req.valid("param").public_id);
      if (!found) throw notFound("Certificate");
      const { certificate } = found;
      return c.json({
        data: {
          public_id: certificate.publicId,
          valid: true,
          holder: found.holder,
          course: {
            id: certificate.courseId,
            title: localized(found.courseTitle, c.var.locale),
            language_id: found.languageId,
          },
          cefr_level: certificate.level,
          score: certificate.score,
          issued_at: certificate.issuedAt.toISOString(),
        },
      });
    },
  );
