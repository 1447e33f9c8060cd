/**
 * Starting the app and the libSQL test server as their own processes, for the
 * edge tests, `deno task start:edge` and `deno task bench:edge`.
 */

/** Deno Deploy's permission set, without prompting (a prompt would hang a test). */
export const DEPLOY_PERMISSIONS = ["--no-prompt", "--allow-net", "--allow-env", "--allow-read"];

/** What the embedded database needs: the native libSQL driver and its file. */
const LOCAL_PERMISSIONS = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-ffi",
  "--allow-sys",
];

/** `deno run` arguments for the libSQL HTTP test server (native libSQL: it is the database). */
export const HRANA_SERVER_ARGS = ["run", ...LOCAL_PERMISSIONS, "tests/support/hrana_server.ts"];

/**
 * `deno run` arguments for the API exactly as `deno task start` runs it on an embedded
 * file (read from deno.json, V8 heap limits included): every core, workers sharing
 * the port (SO_REUSEPORT needs --unstable-net).
 */
export const LOCAL_SERVER_ARGS: string[] = (JSON.parse(
  Deno.readTextFileSync(new URL("../../deno.json", import.meta.url)),
).tasks.start as string).split(/\s+/).slice(1);

/** The project's root folder. */
export const PROJECT_ROOT = new URL("../..", import.meta.url).pathname;

/** A loopback port nothing listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Polls `url` until it answers 2xx; false after `timeoutMs`. */
export async function waitUntilOk(url: string, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.ok) return true;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Runs this Deno with `args` from the project root. */
export function spawnDeno(
  args: string[],
  env: Record<string, string>,
  output: "inherit" | "piped" | "null" = "inherit",
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args,
    cwd: PROJECT_ROOT,
    env,
    stdin: "null",
    stdout: output,
    stderr: output === "null" ? "inherit" : output,
  }).spawn();
}
