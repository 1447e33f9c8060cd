/**
 * Load benchmark: `deno task bench`.
 *
 * Fills a fresh embedded database with 1,000 learners, 1,000,000 card states and
 * 1,000,000 activity rows, starts the real server (`main.ts`) on loopback, and
 * drives each endpoint for 10 s after a 2 s warm-up with `wrk` (installed from
 * Debian's packages when missing). The same run measures the ceiling: a bare
 * `Deno.serve` answering a fixed JSON body, driven the same way. Prints a table
 * (requests/s, p50, p99, errors, ratio to the ceiling, database round trips per
 * request; 2xx answers only) with the RSS of every server process, and writes it to
 * `bench/results/load-<date>.json` (committed; `deno task bench:table` renders the
 * README's table from a result file).
 *
 * Honest traffic: practice answers are 70% right and 30% wrong (right ones carry the
 * word's translation), quiz submissions carry answers (70% of questions right) that
 * get scored and move the ability model, the per-session answer rate limit stays
 * on (its ceiling raised to 100,000 a minute so its cost is measured, not its
 * refusals), and every endpoint's round trips are read from a real request's
 * `Server-Timing`, login's included.
 *
 * The machine running this is usually shared (other processes, and wrk on the same
 * cores), so absolute numbers are noisy: the ratio to the bare ceiling measured in
 * the same run is the figure to compare.
 */
import { createClient } from "@libsql/client";
import { nativeArgon2Hasher } from "../platform/password_hasher.ts";
import { hashToken, newSessionToken } from "../platform/tokens.ts";
import { dbRoundTrips } from "../http/logging.ts";
import { rightAnswers } from "../tests/quiz_keys.ts";

const LEARNERS = 1000;
const CARDS_PER_LEARNER = 1000;
const ACTIVITY_PER_LEARNER = 1000;
const DURATION = Number(Deno.env.get("BENCH_SECONDS") ?? 10);
const CONNECTIONS = Number(Deno.env.get("BENCH_CONNECTIONS") ?? 32);
const PASSWORD = "benchmark password";
const root = new URL("..", import.meta.url).pathname;

async function sh(cmd: string, args: string[]) {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  return {
    ok: out.success,
    text: new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr),
  };
}

async function ensureWrk() {
  if ((await sh("sh", ["-c", "command -v wrk"])).ok) return;
  console.log("installing wrk from Debian's packages ...");
  await sh("sh", [
    "-c",
    "apt-get install -y wrk >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y wrk >/dev/null 2>&1)",
  ]);
  if (!(await sh("sh", ["-c", "command -v wrk"])).ok) throw new Error("wrk is not available");
}

function freePort(): number {
  const l = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitFor(url: string) {
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(url);
      await r.body?.cancel();
      if (r.ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

const dir = await Deno.makeTempDir({ prefix: "bench-load-" });
const dbPath = `${dir}/bench.db`;
const env = {
  DATABASE_URL: `file:${dbPath}`,
  LOG_REQUESTS: "false",
  // On, with a ceiling no benchmark session reaches: its statement is part of every answer.
  ANSWER_RATE_LIMIT_PER_MINUTE: "100000",
  LOGIN_MAX_FAILURES_PER_ADDRESS: "10000",
  HOST: "127.0.0.1",
};
// The server runs exactly as `deno task start` runs it (permissions and V8 flags).
const startTask = JSON.parse(await Deno.readTextFile(`${root}deno.json`)).tasks.start as string;
const denoArgs = startTask.split(/\s+/).slice(1).filter((a) => a !== "main.ts");

// 1. Schema and curriculum, by starting the real server once on the new file.
await ensureWrk();
console.log(`database: ${dbPath}`);
const t0 = performance.now();
{
  const port = freePort();
  const boot = new Deno.Command(Deno.execPath(), {
    args: [...denoArgs, `${root}main.ts`],
    env: { ...env, PORT: String(port) },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  await waitFor(`http://127.0.0.1:${port}/api/health`);
  boot.kill("SIGTERM");
  await boot.status;
}

// 2. Volume: learners, sessions, cards, activity and its rollups, generated in SQL.
const client = createClient(
  { url: `file:${dbPath}`, timeout: 30_000 } as Parameters<typeof createClient>[0],
);
await client.execute("PRAGMA journal_mode = WAL");
const passwordHash = await (await nativeArgon2Hasher()).hash(PASSWORD);
const now = Date.now();
const DAY = 86_400_000;
await client.execute(
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${LEARNERS})
  INSERT INTO users (id, username, username_key, email, email_key, password_hash, native_language,
    target_languages, timezone, preferences, xp)
  SELECT 'u' || i, 'learner' || i, 'learner' || i, 'learner' || i || '@example.com', 'learner' || i || '@example.com',
    '${passwordHash}', 'en', '["es"]', 'UTC',
    '{"desired_retention":0.9,"daily_new_limit":10,"max_interval_days":365,"target_success_rate":0.8,"daily_goal_xp":50,"daily_goal_minutes":null,"public_leaderboard":true,"profile_visibility":"friends"}',
    0 FROM n`,
);
const tokens: string[] = [];
const sessionRows: string[] = [];
for (let i = 1; i <= LEARNERS; i++) {
  const token = newSessionToken();
  tokens.push(token);
  sessionRows.push(`('${hashToken(token)}', 'u${i}', ${now}, ${now}, ${now + 30 * DAY})`);
}
await client.execute(
  `INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at) VALUES ${
    sessionRows.join(",")
  }`,
);
await client.execute(
  `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${CARDS_PER_LEARNER})
  INSERT INTO vocabulary (id, language_id, word, search_key, translation, alternatives, part_of_speech,
    ipa, example, level, category, sequence)
  SELECT 'bench-' || i, 'es', 'palabra' || i, 'palabra' || i, json_object('en', 'word ' || i), '{}', 'noun',
    'pa.ˈla.bɾa', json_object('text', 'x', 'translation', json_object('en', 'x')), 'B1', 'basics', 500000 + i FROM n`,
);
await client.execute(
  `INSERT INTO user_vocabulary (user_id, vocabulary_id, next_review, introduced_at, last_reviewed,
    state, stability, difficulty, reps, review_count, correct_count, familiarity_level, scheduled_days, elapsed_days)
  SELECT u.id, w.id, ${now} + ((abs(random()) % 65) - 5) * ${DAY}, ${now - 90 * DAY}, ${
    now - 10 * DAY
  },
    2, 1 + abs(random()) % 60, 1 + abs(random()) % 9, 5, 5, 4, 3, 10, 10
  FROM users u CROSS JOIN (SELECT id FROM vocabulary WHERE id LIKE 'bench-%') w`,
);
await client.execute(
  `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${
    ACTIVITY_PER_LEARNER - 1
  })
  INSERT INTO activity_log (user_id, kind, skill, language_id, ref_id, correct, total, score,
    duration_seconds, xp, occurred_at, local_date)
  SELECT u.id, CASE n.i % 3 WHEN 0 THEN 'practice' WHEN 1 THEN 'exercise' ELSE 'lesson' END,
    CASE n.i % 6 WHEN 0 THEN 'vocabulary' WHEN 1 THEN 'grammar' WHEN 2 THEN 'listening'
      WHEN 3 THEN 'reading' WHEN 4 THEN 'writing' ELSE 'speaking' END,
    'es', 'x', n.i % 4 > 0, 1, 100, 30, 3, ${now} - (n.i % 365) * ${DAY} - 3600000,
    date((${now} - (n.i % 365) * ${DAY} - 3600000) / 1000, 'unixepoch')
  FROM users u CROSS JOIN n`,
);
await client.execute(
  `INSERT INTO daily_activity (user_id, local_date, skill, kind, actions, seconds, xp, correct, total)
  SELECT user_id, local_date, skill, kind, count(*), sum(duration_seconds), sum(xp), sum(correct), sum(total)
  FROM activity_log GROUP BY user_id, local_date, skill, kind`,
);
await client.execute(
  `UPDATE users SET xp = (SELECT coalesce(sum(xp), 0) FROM daily_activity d WHERE d.user_id = users.id)`,
);
// Two courses each: a learner has one open attempt per quiz at a time, so the quiz-submit
// run needs the quizzes of both (6 × 999 attempts) to last its 10 s without reuse.
await client.execute(`INSERT INTO user_progress (user_id, course_id, enrolled_at, last_activity_at)
  SELECT users.id, c.course, ${now}, ${now} FROM users,
    (SELECT 'es-a1' AS course UNION ALL SELECT 'fr-a1') c`);
await client.execute(`INSERT INTO user_lessons (user_id, lesson_id, status, unlocked_at)
  SELECT id, (SELECT id FROM lessons WHERE course_id = 'es-a1' ORDER BY position LIMIT 1), 'available', ${now} FROM users`);
const counts = (await client.execute(`SELECT (SELECT count(*) FROM users) AS learners,
  (SELECT count(*) FROM user_vocabulary) AS cards, (SELECT count(*) FROM activity_log) AS activity`))
  .rows[0];
await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
const fillSeconds = (performance.now() - t0) / 1000;
console.log(
  `filled ${counts.learners} learners, ${counts.cards} card states, ${counts.activity} activity rows in ${
    fillSeconds.toFixed(0)
  } s`,
);

// 3. Data files for wrk's scripts.
// Words every learner has a card for, with their right answer.
const words = (await client.execute(
  "SELECT id, json_extract(translation, '$.en') AS en FROM vocabulary WHERE id LIKE 'bench-%'",
)).rows.map((r) => `${r.id}\t${r.en}`);
await Deno.writeTextFile(`${dir}/tokens.txt`, tokens.join("\n") + "\n");
await Deno.writeTextFile(`${dir}/words.txt`, words.join("\n") + "\n");
await Deno.writeTextFile(
  `${dir}/users.txt`,
  Array.from({ length: LEARNERS }, (_, i) => `learner${i + 1}`).join("\n") + "\n",
);

const LUA_COMMON = `
local function split(line)
  local a, b, c = line:match("([^\t]*)\t([^\t]*)\t?(.*)")
  return a, b, c
end
local function lines(path)
  local t = {}
  for l in io.lines(path) do if #l > 0 then t[#t + 1] = l end end
  return t
end
local tokens = lines("${dir}/tokens.txt")
local words = lines("${dir}/words.txt")
local users = lines("${dir}/users.txt")
local counter = 0
local thread_id = 0
local next_thread = 0
function setup(thread) thread:set("tid", next_thread); next_thread = next_thread + 1 end
function init(args) thread_id = tid or 0; counter = thread_id * 100003 end
`;
const scripts: Record<string, string> = {
  anonymous: `${LUA_COMMON}
request = function() return wrk.format("GET", nil, {}) end`,
  get: `${LUA_COMMON}
request = function()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
end`,
  practice: `${LUA_COMMON}
request = function()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local word, right = split(words[(counter % #words) + 1])
  -- 7 in 10 answers right, 3 wrong.
  local answer = (counter % 10 < 7) and right or "wrong answer"
  return wrk.format("POST", "/api/vocabulary/" .. word .. "/practice",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
    '{"user_answer":"' .. answer .. '","response_time":2500}')
end`,
  submit: `${LUA_COMMON}
local attempts = lines("${dir}/attempts.txt")
request = function()
  counter = counter + 1
  local token, quiz, body = split(attempts[(counter % #attempts) + 1])
  return wrk.format("POST", "/api/quizzes/" .. quiz .. "/submit",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end`,
  login: `${LUA_COMMON}
request = function()
  counter = counter + 1
  local user = users[(counter % #users) + 1]
  return wrk.format("POST", "/api/auth/login", { ["Content-Type"] = "application/json" },
    '{"username":"' .. user .. '","password":"${PASSWORD}"}')
end`,
};
for (const [name, text] of Object.entries(scripts)) {
  await Deno.writeTextFile(`${dir}/${name}.lua`, text);
}

interface WrkResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  requests: number;
  errors: number;
}

function parseDuration(s: string): number {
  const m = s.match(/([\d.]+)(us|ms|s|m)/);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === "us" ? v / 1000 : m[2] === "ms" ? v : m[2] === "s" ? v * 1000 : v * 60_000;
}

async function wrk(url: string, script: string, seconds: number): Promise<WrkResult> {
  const out = await sh("wrk", [
    "-t1",
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    "--timeout",
    "10s",
    "--latency",
    "-s",
    `${dir}/${script}.lua`,
    url,
  ]);
  const text = out.text;
  const rps = Number(text.match(/Requests\/sec:\s+([\d.]+)/)?.[1] ?? 0);
  const requests = Number(text.match(/(\d+) requests in/)?.[1] ?? 0);
  const non2xx = Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const socket = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  const socketErrors = socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0;
  return {
    // Answered with 2xx only: a refused request (say, a quiz attempt already submitted
    // once wrk wraps around the attempts) costs less and must not count as throughput.
    rps: requests ? rps * (requests - non2xx) / requests : 0,
    // Anchored: the thread stats line also ends in a percentage ("75.50%").
    p50_ms: parseDuration(text.match(/^\s+50%\s+(\S+)/m)?.[1] ?? ""),
    p99_ms: parseDuration(text.match(/^\s+99%\s+(\S+)/m)?.[1] ?? ""),
    requests,
    errors: non2xx + socketErrors,
  };
}

// 4. The ceiling: a bare Deno.serve with a fixed JSON body.
const ceilingPort = freePort();
const ceiling = new Deno.Command(Deno.execPath(), {
  args: ["run", "--allow-net", `${root}bench/ceiling_server.ts`, String(ceilingPort)],
  stdout: "null",
  stderr: "inherit",
}).spawn();
await waitFor(`http://127.0.0.1:${ceilingPort}/`);
await wrk(`http://127.0.0.1:${ceilingPort}/`, "get", 2);
const ceilingResult = await wrk(`http://127.0.0.1:${ceilingPort}/`, "get", DURATION);
ceiling.kill("SIGTERM");
await ceiling.status;
console.log(`ceiling (bare Deno.serve): ${ceilingResult.rps.toFixed(0)} req/s`);

// 5. The server under test.
const port = freePort();
const base = `http://127.0.0.1:${port}`;
// Its own log lines (start, stop; the request log is off) go to a file kept with BENCH_KEEP=1.
const serverLog = await Deno.open(`${dir}/server.log`, { write: true, create: true });
const server = new Deno.Command(Deno.execPath(), {
  args: [...denoArgs, `${root}main.ts`],
  env: { ...env, PORT: String(port), SEED_ON_START: "false" },
  stdout: "piped",
  stderr: "inherit",
}).spawn();
server.stdout.pipeTo(serverLog.writable).catch(() => {});
await waitFor(`${base}/api/health`);

/**
 * The server's processes: its own and every descendant (workers, if the start task
 * runs them as processes), with their current and peak RSS and thread count.
 * /proc files report size 0, so they are read through cat rather than a sized read
 * (and Deno may not list /proc: `ps` gives the tree).
 */
async function serverProcesses() {
  const parents = new Map<number, number>();
  for (const line of (await sh("ps", ["-e", "-o", "pid=,ppid="])).text.trim().split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    parents.set(pid, ppid);
  }
  const tree = [server.pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  }
  const out = [];
  for (const pid of tree) {
    const status = (await sh("cat", [`/proc/${pid}/status`])).text;
    const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);
    out.push({
      pid,
      threads: kb("Threads"),
      rss_mb: Math.round(kb("VmRSS") / 1024),
      peak_rss_mb: Math.round(kb("VmHWM") / 1024),
    });
  }
  return out;
}

/**
 * Liveness as seen by 200 requests on fresh connections, grouped by the worker that
 * answered when the health body names one (`data.worker`), else as one group.
 */
async function healthPerWorker() {
  const seen = new Map<string, number[]>();
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    const res = await fetch(`${base}/api/health`, { headers: { connection: "close" } });
    const body = await res.json().catch(() => null);
    const worker = String(body?.data?.worker ?? body?.data?.pid ?? "all");
    if (!seen.has(worker)) seen.set(worker, []);
    seen.get(worker)!.push(res.ok ? performance.now() - start : Infinity);
  }
  return [...seen].map(([worker, t]) => {
    t.sort((a, b) => a - b);
    return {
      worker,
      answered: t.filter(Number.isFinite).length,
      p50_ms: Math.round(t[Math.floor(t.length / 2)] * 10) / 10,
      max_ms: Math.round(t[t.length - 1] * 10) / 10,
    };
  });
}

/** Statements one request makes; anonymous like wrk's requests to public endpoints. */
async function roundTrips(method: string, path: string, body?: unknown, anonymous = false) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(anonymous ? {} : { authorization: `Bearer ${tokens[7]}` }),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  await res.body?.cancel();
  return dbRoundTrips(res);
}

const QUIZZES = [
  ...["es-a1-vocabulary", "es-a1-grammar", "es-a1-final"],
  ...["fr-a1-vocabulary", "fr-a1-grammar", "fr-a1-final"],
];
const quizKeys = new Map(
  await Promise.all(QUIZZES.map(async (q) => [q, await rightAnswers(client, q)] as const)),
);
client.close();
/** A submission body: about 7 in 10 questions answered right, the rest left unanswered. */
function submission(quiz: string, attemptToken: string, seed: number) {
  const answers = [...quizKeys.get(quiz)!.entries()]
    .filter((_, i) => (seed + i * 7) % 10 < 7)
    .map(([id, k]) => ({ question_id: id, answer: k.answer }));
  return JSON.stringify({ attempt_token: attemptToken, answers, time_taken: 30 });
}

/**
 * Open quiz attempts for every learner and quiz, started through the API (as a
 * learner starts one), so nothing but the server writes the database during the
 * run: a write from this process's own connection while the server ran left the
 * server's transactions failing with SQLITE_BUSY for the rest of a run.
 */
async function attemptsFile() {
  const rows: string[] = [];
  // The last learner is kept out: the statement count is read from its submission.
  const jobs = tokens.slice(0, -1).flatMap((token, i) =>
    QUIZZES.map((quiz) => ({ token, quiz, i }))
  );
  for (let start = 0; start < jobs.length; start += 16) {
    await Promise.all(
      jobs.slice(start, start + 16).map(async ({ token, quiz, i }) => {
        const res = await fetch(`${base}/api/quizzes/${quiz}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        const body = await res.json();
        if (res.status !== 200 && res.status !== 201) {
          throw new Error(`starting ${quiz}: ${res.status} ${JSON.stringify(body)}`);
        }
        rows.push(`${token}\t${quiz}\t${submission(quiz, body.data.attempt.token, i)}`);
      }),
    );
  }
  await Deno.writeTextFile(`${dir}/attempts.txt`, rows.join("\n") + "\n");
}

const endpoints: {
  name: string;
  kind: "public" | "read" | "write" | "login" | "health";
  /** Share of the ceiling the endpoint should reach (issue 14's targets). */
  target?: number;
  path: string;
  script: string;
  prepare?: () => Promise<void>;
  trips: () => Promise<number>;
}[] = [
  {
    name: "GET /api/health",
    kind: "health",
    path: "/api/health",
    script: "anonymous",
    trips: () => roundTrips("GET", "/api/health", undefined, true),
  },
  {
    name: "GET /api/courses?language=es (public)",
    target: 0.4,
    kind: "public",
    path: "/api/courses?language=es",
    script: "anonymous",
    trips: () => roundTrips("GET", "/api/courses?language=es", undefined, true),
  },
  {
    name: "GET /api/languages (public)",
    target: 0.4,
    kind: "public",
    path: "/api/languages",
    script: "anonymous",
    trips: () => roundTrips("GET", "/api/languages", undefined, true),
  },
  {
    name: "GET /api/auth/user",
    target: 0.25,
    kind: "read",
    path: "/api/auth/user",
    script: "get",
    trips: () => roundTrips("GET", "/api/auth/user"),
  },
  {
    name: "GET /api/vocabulary/review",
    target: 0.1,
    kind: "read",
    path: "/api/vocabulary/review",
    script: "get",
    trips: () => roundTrips("GET", "/api/vocabulary/review"),
  },
  {
    name: "POST /api/vocabulary/{id}/practice",
    target: 0.05,
    kind: "write",
    path: "/",
    script: "practice",
    trips: () =>
      roundTrips("POST", "/api/vocabulary/es-hola/practice", {
        user_answer: "hello",
        response_time: 2000,
      }),
  },
  {
    name: "POST /api/quizzes/{id}/submit",
    target: 0.03,
    kind: "write",
    path: "/",
    script: "submit",
    prepare: attemptsFile,
    trips: () => Promise.resolve(0),
  },
  {
    name: "GET /api/progress",
    target: 0.1,
    kind: "read",
    path: "/api/progress",
    script: "get",
    trips: () => roundTrips("GET", "/api/progress"),
  },
  {
    name: "GET /api/progress/analytics",
    target: 0.05,
    kind: "read",
    path: "/api/progress/analytics?period=30",
    script: "get",
    trips: () => roundTrips("GET", "/api/progress/analytics?period=30"),
  },
  {
    name: "POST /api/auth/login",
    kind: "login",
    path: "/",
    script: "login",
    // A real sign-in, its statements read like every other endpoint's.
    trips: () =>
      roundTrips("POST", "/api/auth/login", { username: "learner9", password: PASSWORD }, true),
  },
];

const rows = [];
let healthDuringLogin: { p50_ms: number; p99_ms: number; max_ms: number } | null = null;
// BENCH_ONLY="health,practice" runs only the endpoints whose names contain one of the words.
const only = Deno.env.get("BENCH_ONLY")?.split(",").map((w) => w.trim()).filter(Boolean);
for (const e of endpoints) {
  if (only && !only.some((w) => e.name.includes(w))) continue;
  await e.prepare?.();
  await wrk(base + e.path, e.script, 2);
  if (e.prepare) await e.prepare(); // fresh attempts after the warm-up used some
  let trips = await e.trips();
  let probe: Promise<number[]> | null = null;
  if (e.kind === "login") {
    // Health latency while logins saturate the hashers: argon2 must not block the event loop.
    probe = (async () => {
      const times: number[] = [];
      const end = performance.now() + DURATION * 1000 - 500;
      await new Promise((r) => setTimeout(r, 500));
      while (performance.now() < end) {
        const s = performance.now();
        const r = await fetch(`${base}/api/health`);
        await r.body?.cancel();
        times.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 20));
      }
      return times.sort((a, b) => a - b);
    })();
  }
  const result = await wrk(base + e.path, e.script, DURATION);
  if (probe) {
    const t = await probe;
    healthDuringLogin = {
      p50_ms: Math.round(t[Math.floor(t.length * 0.5)] * 10) / 10,
      p99_ms: Math.round(t[Math.floor(t.length * 0.99)] * 10) / 10,
      max_ms: Math.round(t[t.length - 1] * 10) / 10,
    };
  }
  if (e.name.includes("submit")) {
    // One scored submission of a fresh attempt, after the run, to read its round trips.
    const token = tokens[tokens.length - 1];
    const quiz = QUIZZES[0];
    const started = await fetch(`${base}/api/quizzes/${quiz}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = submission(quiz, (await started.json()).data.attempt.token, 0);
    const res = await fetch(`${base}/api/quizzes/${quiz}/submit`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
    });
    const scored = await res.json();
    console.log(
      res.status === 200
        ? `a submission scored ${scored.data.percentage}%`
        : `a submission failed: ${res.status} ${JSON.stringify(scored)}`,
    );
    trips = dbRoundTrips(res);
  }
  const ratio = result.rps / ceilingResult.rps;
  const rss = (await serverProcesses()).reduce((n, p) => n + p.rss_mb, 0);
  rows.push({
    endpoint: e.name,
    "req/s": Math.round(result.rps),
    "p50 ms": Math.round(result.p50_ms * 10) / 10,
    "p99 ms": Math.round(result.p99_ms * 10) / 10,
    errors: result.errors,
    "vs ceiling": `${(ratio * 100).toFixed(1)}%`,
    target: e.target ? `≥ ${e.target * 100}%` : "-",
    met: e.target ? ratio >= e.target : null,
    "db trips": trips,
    "rss MB": rss,
  });
  console.log(
    `${e.name}: ${Math.round(result.rps)} req/s, p99 ${
      result.p99_ms.toFixed(1)
    } ms, ${result.errors} errors`,
  );
}
const processes = await serverProcesses();
const peakRssMb = processes.reduce((n, p) => n + p.peak_rss_mb, 0);
const workers = await healthPerWorker();
server.kill("SIGTERM");
await server.status;

console.log(
  `\nceiling: ${
    Math.round(ceilingResult.rps)
  } req/s (bare Deno.serve, fixed JSON), ${CONNECTIONS} connections, ${DURATION} s per endpoint`,
);
console.table(rows);
console.table(processes);
console.log(`server peak RSS, all processes: ${peakRssMb} MB (target ≤ 300 MB)`);
console.log(`health per worker: ${JSON.stringify(workers)}`);
if (healthDuringLogin) {
  console.log(
    `GET /api/health while logins run: p50 ${healthDuringLogin.p50_ms} ms, p99 ${healthDuringLogin.p99_ms} ms, max ${healthDuringLogin.max_ms} ms`,
  );
}
const result = {
  date: new Date().toISOString(),
  machine: {
    cores: navigator.hardwareConcurrency,
    shared: true,
    note: "wrk (and whatever else runs on this machine) shares the server's cores, so absolute " +
      "req/s are noisy; compare each endpoint's share of the ceiling measured in this run.",
  },
  server: {
    start_task: startTask,
    workers_env: Deno.env.get("WORKERS") ?? null,
    processes,
    health_per_worker: workers,
  },
  traffic: {
    practice: "70% right answers (the word's translation), 30% wrong",
    quiz_submit:
      "about 70% of questions answered right, scored; attempts opened fresh per run, one per learner and quiz of two courses (5,994), each submitted once",
    answer_rate_limit_per_minute: Number(env.ANSWER_RATE_LIMIT_PER_MINUTE),
  },
  volume: {
    learners: Number(counts.learners),
    card_states: Number(counts.cards),
    activity_rows: Number(counts.activity),
    fill_seconds: Math.round(fillSeconds),
  },
  connections: CONNECTIONS,
  seconds: DURATION,
  ceiling_rps: Math.round(ceilingResult.rps),
  endpoints: rows,
  peak_rss_mb: peakRssMb,
  health_during_login: healthDuringLogin,
};
// A partial run (BENCH_ONLY) is not a result to compare commits by: it stays on the terminal.
if (!only) {
  await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
  const stamp = result.date.slice(0, 16).replace(/[-:]/g, "");
  const file = new URL(`./results/load-${stamp}.json`, import.meta.url);
  await Deno.writeTextFile(file, JSON.stringify(result, null, 2) + "\n");
  console.log(`wrote ${file.pathname}; deno task bench:table renders it into the README`);
}
// BENCH_KEEP=1 leaves the filled database and wrk scripts for profiling by hand.
if (Deno.env.get("BENCH_KEEP") === "1") console.log(`kept ${dir}`);
else await Deno.remove(dir, { recursive: true });
