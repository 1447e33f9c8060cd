/**
 * Checks in a real browser that an uploaded recording plays and seeks: starts
 * the app on a free loopback port over a temporary database, uploads a 4-second
 * WAV sine tone as an editor, then drives headless Chromium against a page that
 * loads the audio URL in an `<audio>` element, waits for `loadedmetadata`, reads
 * the duration, seeks to the middle, waits for `seeked`, plays a moment, and
 * posts what it saw back here. Prints one PASS/FAIL line; exits 1 on failure.
 *
 *   deno task check:audio-browser      (needs /usr/bin/chromium: apt-get install -y chromium)
 *
 * Not part of `deno task test`: CI may not have Chromium.
 */
import { createApp } from "../app.ts";
import { defaultConfig } from "../config.ts";
import { openDatabase } from "../db/client.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { systemClock } from "../platform/clock.ts";
import { createPasswordHasher } from "../platform/password_hasher.ts";
import { seedContent } from "../seed.ts";
import { toBase64, wavFile } from "../tests/audio_fixtures.ts";

const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
const SECONDS = 4;
const TIMEOUT_MS = 30_000;

interface BrowserReport {
  duration?: number;
  seekedTo?: number;
  seekableEnd?: number;
  played?: boolean;
  playError?: string;
  error?: string;
}

function page(audioUrl: string): string {
  return `<!doctype html><meta charset="utf-8"><title>audio check</title>
<audio id="a" preload="metadata" src="${audioUrl}"></audio><pre id="out">waiting</pre>
<script>
const a = document.getElementById("a");
const report = {};
const send = () => {
  document.getElementById("out").textContent = JSON.stringify(report);
  fetch("/result", { method: "POST", body: JSON.stringify(report) });
};
a.addEventListener("error", () => { report.error = "media error " + (a.error && a.error.code); send(); });
a.addEventListener("loadedmetadata", () => {
  report.duration = a.duration;
  a.addEventListener("seeked", async () => {
    report.seekedTo = a.currentTime;
    report.seekableEnd = a.seekable.length ? a.seekable.end(0) : null;
    try {
      a.muted = true;
      await a.play();
      await new Promise((r) => setTimeout(r, 300));
      report.played = a.currentTime > report.seekedTo;
      a.pause();
    } catch (e) { report.played = false; report.playError = String(e); }
    send();
  }, { once: true });
  a.currentTime = a.duration / 2;
});
setTimeout(() => { report.error = report.error || "timed out in the page"; send(); }, 20000);
</script>`;
}

async function main(): Promise<boolean> {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    console.log(`FAIL: ${CHROMIUM} not found (apt-get install -y chromium)`);
    return false;
  }
  const dir = await Deno.makeTempDir({ prefix: "audio-browser-check-" });
  const database = await openDatabase(`file:${dir}/app.db`);
  const chromeProfile = `${dir}/chromium`;
  let server: Deno.HttpServer | undefined;
  let chromium: Deno.ChildProcess | undefined;
  try {
    await migrateDatabase(database.db);
    await seedContent(database.db);
    const app = createApp({
      database,
      config: defaultConfig({ LOG_REQUESTS: false }),
      clock: systemClock,
      hasher: await createPasswordHasher("native", 2),
    });

    // An editor uploads the tone through the API.
    const registered = await app.request("/api/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        username: "audiocheck",
        email: "audiocheck@example.com",
        password: "correct horse battery",
        native_language: "en",
      }),
    }, { remoteAddr: { hostname: "127.0.0.1", port: 1, transport: "tcp" } });
    const { data: account } = await registered.json();
    await database.client.execute({
      sql: "UPDATE users SET role = 'editor' WHERE id = ?",
      args: [account.user.id],
    });
    const upload = await app.request("/api/audio", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${account.token}` },
      body: JSON.stringify({
        audio_data: toBase64(wavFile(SECONDS, { sampleRate: 22050, frequency: 440 })),
      }),
    });
    const uploaded = await upload.json();
    if (upload.status !== 201) {
      console.log(`FAIL: upload answered ${upload.status} ${JSON.stringify(uploaded)}`);
      return false;
    }
    const audioUrl: string = uploaded.data.url;

    // The page and the API on one loopback origin; the page posts its report back.
    const statuses: string[] = [];
    let resolveReport: (r: BrowserReport) => void = () => {};
    const reported = new Promise<BrowserReport>((resolve) => (resolveReport = resolve));
    server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      async (req, info) => {
        const path = new URL(req.url).pathname;
        if (path === "/check") {
          return new Response(page(audioUrl), { headers: { "content-type": "text/html" } });
        }
        if (path === "/result" && req.method === "POST") {
          resolveReport(await req.json());
          return new Response("ok");
        }
        const res = await app.fetch(req, info);
        if (path === audioUrl) {
          statuses.push(`${req.method} ${req.headers.get("range") ?? "-"} → ${res.status}`);
        }
        return res;
      },
    );
    const { port } = server.addr as Deno.NetAddr;

    chromium = new Deno.Command(CHROMIUM, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--autoplay-policy=no-user-gesture-required",
        `--user-data-dir=${chromeProfile}`,
        `http://127.0.0.1:${port}/check`,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();

    const report = await Promise.race([
      reported,
      new Promise<BrowserReport>((resolve) =>
        setTimeout(() => resolve({ error: "no report from the browser" }), TIMEOUT_MS)
      ),
    ]);
    console.log(
      `audio ${audioUrl}: ${uploaded.data.mime_type}, ${uploaded.data.byte_length} bytes`,
    );
    console.log(`requests: ${statuses.join("; ") || "none"}`);
    console.log(`browser: ${JSON.stringify(report)}`);
    const problems: string[] = [];
    if (report.error) problems.push(report.error);
    if (report.duration === undefined || Math.abs(report.duration - SECONDS) > 0.05) {
      problems.push(`duration ${report.duration}, expected ${SECONDS}`);
    }
    if (report.seekedTo === undefined || Math.abs(report.seekedTo - SECONDS / 2) > 0.05) {
      problems.push(`seeked to ${report.seekedTo}, expected ${SECONDS / 2}`);
    }
    if (!statuses.some((s) => s.endsWith("206"))) problems.push("no byte-range (206) request");
    if (problems.length) {
      console.log(`FAIL: ${problems.join("; ")}`);
      return false;
    }
    console.log(
      `PASS: <audio> loaded ${report.duration}s, seeked to ${report.seekedTo}s ` +
        `(seekable to ${report.seekableEnd}s, playback ${
          report.played ? "advanced" : "not confirmed"
        })`,
    );
    return true;
  } finally {
    if (chromium) {
      try {
        chromium.kill("SIGTERM");
      } catch { /* already gone */ }
      await chromium.status;
    }
    await server?.shutdown();
    database.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  Deno.exit((await main()) ? 0 : 1);
}
