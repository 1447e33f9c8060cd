/** The benchmark's ceiling: a bare Deno.serve answering a fixed JSON body. */
const port = Number(Deno.args[0] ?? 8099);
const body = JSON.stringify({ data: { status: "ok" } });
Deno.serve(
  { port, hostname: "127.0.0.1", onListen: () => {} },
  () => new Response(body, { headers: { "content-type": "application/json; charset=utf-8" } }),
);
