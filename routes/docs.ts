/**
 * `/api/openapi.json` and `/api/docs`: the generated contract and a reference viewer.
 *
 * The viewer is Swagger UI from the pinned `swagger-ui-dist` npm package, served by
 * the API itself (nothing is fetched from elsewhere at runtime: it works offline and
 * on air-gapped networks). Its page runs under a CSP as strict as the API's own: only
 * this origin's scripts, styles and fetches, no inline script or style, no eval.
 */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { notFound } from "../http/errors.ts";
import { buildOpenApi, describe } from "../http/openapi.ts";
// Keeps the package in the module graph, so it is installed wherever the app is
// deployed, and names the version in the asset URLs (a new version, new URLs).
import viewerPackage from "swagger-ui-dist/package.json" with { type: "json" };

const ASSET_BASE = `/api/docs/assets/${viewerPackage.version}`;

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Language learning API reference</title>
  <link rel="stylesheet" href="${ASSET_BASE}/swagger-ui.css">
</head>
<body>
  <div id="api-reference"></div>
  <script src="${ASSET_BASE}/swagger-ui-bundle.js"></script>
  <script src="${ASSET_BASE}/init.js"></script>
</body>
</html>`;

// An external file, not an inline script, so the CSP needs no 'unsafe-inline'.
const INIT_JS = `window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#api-reference",
  deepLinking: true,
  validatorUrl: null,
  withCredentials: true,
});
`;

/** Everything from this origin, nothing inline, nothing evaluated. */
const DOCS_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; " +
  "img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PACKAGE_FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

const assetCache = new Map<string, Promise<Uint8Array>>();

/** Reads a file of the installed package once; later requests are served from memory. */
function packageFile(name: string): Promise<Uint8Array> {
  let bytes = assetCache.get(name);
  if (!bytes) {
    bytes = Deno.readFile(new URL(import.meta.resolve(`swagger-ui-dist/${name}`)));
    bytes.catch(() => assetCache.delete(name));
    assetCache.set(name, bytes);
  }
  return bytes;
}

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
      c.header("Content-Security-Policy", DOCS_CSP);
      return c.html(DOCS_HTML);
    })
    .get(
      "/docs/assets/:version/:file",
      describe({ summary: "The API reference viewer's script and styles", tags: ["docs"] }),
      async (c) => {
        const { version, file } = c.req.param();
        if (version !== viewerPackage.version) throw notFound("Asset");
        let body: Uint8Array | string;
        let type: string;
        if (file === "init.js") {
          body = INIT_JS;
          type = "text/javascript; charset=utf-8";
        } else if (file in PACKAGE_FILES) {
          body = await packageFile(file);
          type = PACKAGE_FILES[file];
        } else {
          throw notFound("Asset");
        }
        c.header("Content-Type", type);
        // The version is in the URL, so the file never changes under it.
        c.header("Cache-Control", "public, max-age=31536000, immutable");
        return c.body(body as Uint8Array<ArrayBuffer> | string);
      },
    );
}
