/**
 * Password hashing behind a small interface. The default is argon2id from the
 * native `@node-rs/argon2`; where native addons cannot load (Deno Deploy) the
 * WebAssembly `hash-wasm` build stands in. Both produce and verify the same PHC
 * strings (`$argon2id$v=19$m=19456,t=2,p=1$...`), so a deployment can switch
 * without rehashing.
 */

/** OWASP's minimum for argon2id: 19 MiB, two passes, one lane. */
export const ARGON2_PARAMS = { memoryKiB: 19456, iterations: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(phc: string, password: string): Promise<boolean>;
}

/** argon2id through the native `@node-rs/argon2` addon (fast, runs off the main thread). */
export async function nativeArgon2Hasher(): Promise<PasswordHasher> {
  const argon2 = await import("@node-rs/argon2");
  const options = {
    algorithm: 2, // Algorithm.Argon2id (a const enum, so not importable at runtime)
    memoryCost: ARGON2_PARAMS.memoryKiB,
    timeCost: ARGON2_PARAMS.iterations,
    parallelism: ARGON2_PARAMS.parallelism,
  };
  return {
    hash: (password) => argon2.hash(password, options),
    verify: async (phc, password) => {
      try {
        return await argon2.verify(phc, password);
      } catch {
        return false;
      }
    },
  };
}

/** argon2id in WebAssembly (`hash-wasm`), for runtimes without native addons. */
export async function wasmArgon2Hasher(): Promise<PasswordHasher> {
  const { argon2id, argon2Verify } = await import("hash-wasm");
  return {
    hash: (password) =>
      argon2id({
        password,
        salt: crypto.getRandomValues(new Uint8Array(16)),
        parallelism: ARGON2_PARAMS.parallelism,
        iterations: ARGON2_PARAMS.iterations,
        memorySize: ARGON2_PARAMS.memoryKiB,
        hashLength: 32,
        outputType: "encoded",
      }),
    verify: async (phc, password) => {
      try {
        return await argon2Verify({ password, hash: phc });
      } catch {
        return false;
      }
    },
  };
}

/**
 * Caps how many hashes run at once: each holds 19 MiB, so a login flood would
 * otherwise grow memory without bound. Callers beyond the cap wait in line.
 */
export function limitConcurrency(inner: PasswordHasher, max: number): PasswordHasher {
  let running = 0;
  const waiting: (() => void)[] = [];
  async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }
  return {
    hash: (password) => run(() => inner.hash(password)),
    verify: (phc, password) => run(() => inner.verify(phc, password)),
  };
}

export type HasherKind = "auto" | "native" | "wasm";

/**
 * Picks the hasher named by configuration. `auto` takes the native addon where it
 * loads and the wasm build where it cannot (Deno Deploy, or a run without
 * `--allow-ffi`); both read and write the same PHC strings, so accounts move freely
 * between the two. `kind` on the result says which one runs.
 */
export async function createPasswordHasher(
  kind: HasherKind,
  maxConcurrent: number,
): Promise<PasswordHasher & { kind: "native" | "wasm" }> {
  let inner: PasswordHasher;
  let chosen: "native" | "wasm" = kind === "wasm" ? "wasm" : "native";
  if (chosen === "native") {
    try {
      inner = await nativeArgon2Hasher();
    } catch (err) {
      if (kind === "native") throw err;
      chosen = "wasm";
      inner = await wasmArgon2Hasher();
    }
  } else {
    inner = await wasmArgon2Hasher();
  }
  return { ...limitConcurrency(inner, maxConcurrent), kind: chosen };
}
