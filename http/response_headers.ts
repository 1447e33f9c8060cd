/**
 * Sets a header on the response a handler already produced. Hono's `c.header()`
 * after the response exists rebuilds the Response object, which profiling showed
 * to be a third of the cost of a cached read; the headers of the responses this
 * app builds are mutable, so they are set in place, with `c.header()` as the
 * fallback for an immutable one.
 */
import type { Context } from "hono";

export function setResponseHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}
