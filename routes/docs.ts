/** `/api/openapi.json` and `/api/docs`: the generated contract and a reference viewer. */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { buildOpenApi, describe } from "../http/openapi.ts";

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Language learning API reference</title>
</head>
<body>
  <script id="api-reference" data-url="/api/openapi.json"></script>
  <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference@1"></script>
</body>
</html>`;

/** Routes that serve the document of `root` (the whole app, read lazily). */
// deno-lint-ignore no-explicit-any
export function docs(root: () => Hono<any>) {
  let cached: unknown;
  return new Hono<AppEnv>()
    .get("/openapi.json", describe({ summary: "OpenAPI 3.1 document", tags: ["docs"] }), (c) => {
      cached ??= buildOpenApi(root(), { title: "Language learning API", version: "1.0.0" });
      return c.json(cached);
    })
    .get("/docs", describe({ summary: "Interactive API reference", tags: ["docs"] }), (c) => {
      // The viewer is a script from a CDN, so this page relaxes the default CSP.
      c.header(
        "Content-Security-Policy",
        "default-src 'none'; script-src https://cdn.jsdelivr.net 'unsafe-inline' 'unsafe-eval'; " +
          "style-src https://cdn.jsdelivr.net https://fonts.googleapis.com 'unsafe-inline'; " +
          "font-src https://fonts.gstatic.com https://cdn.jsdelivr.net data:; img-src 'self' data: https:; " +
          "connect-src 'self'; frame-ancestors 'none'",
      );
      return c.html(DOCS_HTML);
    });
}
