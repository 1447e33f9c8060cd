import assert from "node:assert/strict";
import {
  createPasswordHasher,
  limitConcurrency,
  nativeArgon2Hasher,
  type PasswordHasher,
  wasmArgon2Hasher,
} from "../platform/password_hasher.ts";
import { hashToken, newSessionToken, sha256Hex } from "../platform/tokens.ts";

Deno.test("native and WebAssembly argon2id verify each other's PHC strings", async () => {
  const native = await nativeArgon2Hasher();
  const wasm = await wasmArgon2Hasher();
  const fromNative = await native.hash("pässwörd 123");
  const fromWasm = await wasm.hash("pässwörd 123");
  for (const phc of [fromNative, fromWasm]) {
    assert.match(phc, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  }
  assert.equal(await wasm.verify(fromNative, "pässwörd 123"), true);
  assert.equal(await native.verify(fromWasm, "pässwörd 123"), true);
  assert.equal(await wasm.verify(fromNative, "passwörd 123"), false);
  assert.equal(await native.verify(fromWasm, "wrong"), false);
  assert.equal(await native.verify("not a phc string", "x"), false);
  assert.equal(await wasm.verify("not a phc string", "x"), false);
});

Deno.test("createPasswordHasher('auto') takes the native addon where it loads, by name otherwise", async () => {
  // This test runs with --allow-ffi, so the addon loads; without it (Deno Deploy),
  // tests/edge_test.ts sees the process start with the wasm hasher.
  assert.equal((await createPasswordHasher("auto", 1)).kind, "native");
  const wasm = await createPasswordHasher("wasm", 1);
  assert.equal(wasm.kind, "wasm");
  const phc = await wasm.hash("pässwörd 123");
  assert.equal(await (await createPasswordHasher("auto", 1)).verify(phc, "pässwörd 123"), true);
});

Deno.test("limitConcurrency() never runs more hashes at once than allowed", async () => {
  let running = 0;
  let peak = 0;
  const slow: PasswordHasher = {
    hash: async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return "h";
    },
    verify: () => Promise.resolve(true),
  };
  const limited = limitConcurrency(slow, 2);
  await Promise.all(Array.from({ length: 10 }, () => limited.hash("x")));
  assert.equal(peak, 2);
});

Deno.test("session tokens carry 256 random bits and hash to 64 hex digits", () => {
  const a = newSessionToken();
  const b = newSessionToken();
  assert.notEqual(a, b);
  assert.equal(a.length, 43);
  assert.match(hashToken(a), /^[0-9a-f]{64}$/);
  assert.equal(hashToken(a), hashToken(a));
  // The published SHA-256 test vector, as text and as bytes.
  const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  assert.equal(sha256Hex("abc"), abc);
  assert.equal(sha256Hex(new TextEncoder().encode("abc")), abc);
});
