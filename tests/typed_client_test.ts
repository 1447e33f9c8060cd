/**
 * The API through Hono's typed client, as a TypeScript frontend calls it: a change
 * to a route's input or output that breaks the client's types fails `deno check`
 * (and so CI), and the calls below must still work at run time.
 */
import assert from "node:assert/strict";
import { hc } from "hono/client";
import type { AppType } from "../app.ts";
import { testApp } from "./helpers.ts";

Deno.test("the typed client registers, practises a word and reads progress", async () => {
  const t = await testApp();
  const env = { remoteAddr: { hostname: "192.0.2.77", port: 40000, transport: "tcp" } };
  const client = hc<AppType>("http://localhost", {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => t.app.request(input, init, env),
  });
  const registered = await client.api.auth.register.$post({
    json: {
      username: "typed_client",
      email: "typed@example.com",
      password: "correct horse battery",
      native_language: "en",
    },
  });
  assert.equal(registered.status, 201);
  const { data: account } = await registered.json();
  const headers = { authorization: `Bearer ${account.token}` };

  const enrolled = await client.api.courses[":id"].enroll.$post({ param: { id: "es-a1" } }, {
    headers,
  });
  assert.equal(enrolled.status, 201);

  const practice = await client.api.vocabulary[":id"].practice.$post({
    param: { id: "es-hola" },
    json: { user_answer: "hello", response_time: 1500 },
  }, { headers });
  assert.equal(practice.status, 200);
  const answered = (await practice.json()).data;
  const correct: boolean = answered.correct;
  const xp: number = answered.xp_earned;
  const nextReview: string = answered.next_review;
  assert.equal(correct, true);
  assert.ok(xp > 0);
  assert.ok(Date.parse(nextReview) > 0);

  const progress = await client.api.progress.$get({}, { headers });
  const shown = (await progress.json()).data;
  const streak: number = shown.current_streak;
  const xpToday: number = shown.xp_today;
  assert.equal(streak, 1);
  assert.equal(xpToday, xp);
  assert.equal(shown.streak.active_today, true);
  await t.close();
});
