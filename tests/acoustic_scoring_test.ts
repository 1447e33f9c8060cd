import assert from "node:assert/strict";
import {
  checkRecording,
  compareUtterances,
  costPeak,
  dtw,
  findSpeech,
  scoreFromDistance,
  syllableCosts,
  syllableSpans,
  utteranceFeatures,
  WARPS,
} from "../domain/acoustic_scoring.ts";
import { FRAME_MS } from "../domain/speech_features.ts";

const RATE = 16000;

function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const silence = (seconds: number) => new Float32Array(Math.round(seconds * RATE));

/** Deterministic white noise at a given peak level. */
function noise(seconds: number, amplitude: number, seed = 7): Float32Array {
  let s = seed;
  return Float32Array.from({ length: Math.round(seconds * RATE) }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31 * 2 - 1) * amplitude;
  });
}

/** A "word": a buzz (harmonics of `pitch`) passing through vowel-like spectra, one per syllable. */
function word(
  syllables: number[][],
  options: { seconds?: number; pitch?: number; amplitude?: number } = {},
): Float32Array {
  const per = (options.seconds ?? 0.22 * syllables.length) / syllables.length;
  const pitch = options.pitch ?? 120;
  const parts = syllables.map((formants) =>
    Float32Array.from({ length: Math.round(per * RATE) }, (_, i) => {
      let v = 0;
      for (let h = 1; h * pitch < 7000; h++) {
        const f = h * pitch;
        const gain = formants.reduce((g, fm) => g + 1 / (1 + ((f - fm) / 120) ** 2), 0.02);
        v += gain * Math.sin(2 * Math.PI * f * i / RATE);
      }
      return v;
    })
  );
  const out = concat(...parts);
  const peak = Math.max(...out.map(Math.abs));
  return out.map((v) => v / peak * (options.amplitude ?? 0.5));
}

const A = [700, 1200];
const I = [300, 2300];
const U = [300, 800];
const E = [500, 1900];

Deno.test("the speech is found between the pauses", () => {
  const recording = concat(silence(0.5), word([A, I]), silence(0.7));
  const span = findSpeech(concat(recording));
  const startMs = span.start * FRAME_MS;
  const endMs = span.end * FRAME_MS;
  assert.ok(Math.abs(startMs - 500) <= 60, `start ${startMs}`);
  assert.ok(Math.abs(endMs - 940) <= 70, `end ${endMs}`);
  assert.ok(span.peakDb > -20 && span.noiseDb === -100, JSON.stringify(span));
  // A single click is not speech.
  const click = silence(1);
  click[8000] = 0.9;
  assert.equal(findSpeech(click).end, 0);
});

Deno.test("signal checks: silence, near-silence, length for the syllables, clipping, noise", () => {
  const check = (samples: Float32Array, syllables = 2, clipped = 0) =>
    checkRecording(samples, { clipped, syllables, locale: "en" });
  const codes = (samples: Float32Array, syllables = 2, clipped = 0) =>
    check(samples, syllables, clipped).issues.map((i) => i.code);

  const good = concat(silence(0.3), word([A, I]), silence(0.3));
  const ok = check(good);
  assert.deepEqual(ok.issues, []);
  assert.equal(ok.scoreable, true);
  assert.ok(ok.speechMs >= 400 && ok.speechMs <= 560, String(ok.speechMs));

  const silent = check(silence(1));
  assert.deepEqual(silent.issues.map((i) => i.code), ["silence"]);
  assert.equal(silent.scoreable, false);
  assert.match(silent.issues[0].message, /microphone/);
  assert.equal(
    checkRecording(silence(1), { clipped: 0, syllables: 1, locale: "es" }).issues[0].message
      .includes("micrófono"),
    true,
  );
  assert.deepEqual(codes(concat(silence(0.3), word([A, I], { amplitude: 0.02 }))), [
    "near_silence",
  ]);
  assert.deepEqual(codes(concat(silence(0.3), word([A], { seconds: 0.08 }), silence(0.3)), 4), [
    "too_short",
  ]);
  const rambling = concat(
    silence(0.2),
    word([A, I, U, E, A, I, U, E, A, I, U, E], {
      seconds: 4,
    }),
  );
  assert.deepEqual(codes(rambling, 1), ["too_long"]);
  assert.equal(check(rambling, 1).scoreable, false);

  const clipped = check(good, 2, 0.03);
  assert.deepEqual(clipped.issues.map((i) => i.code), ["clipping"]);
  assert.equal(clipped.scoreable, true, "clipping is a warning");

  const hiss = noise(good.length / RATE, 0.2);
  const noisy = good.map((v, i) => v + hiss[i]);
  const n = check(noisy);
  assert.ok(n.issues.some((i) => i.code === "noise"), JSON.stringify(n.issues));
  assert.ok(n.snrDb < 15);
});

Deno.test("DTW: zero for the same sequence and for the same one said slower", () => {
  const seq = [0, 1, 2, 3, 4, 5].map((v) => Float64Array.of(v, -v));
  assert.equal(dtw(seq, seq).cost, 0);
  const slower = seq.flatMap((f) => [f, f, f]);
  assert.equal(dtw(seq, slower).cost, 0);
  const other = seq.map((f) => f.map((v) => v + 1));
  assert.ok(dtw(seq, other).cost > 0.5);
  // The cost lands on the reference frames that differ.
  const changed = seq.map((f, i) => (i === 4 ? Float64Array.of(20, 20) : f));
  const { perReference } = dtw(seq, changed);
  assert.equal(perReference.indexOf(Math.max(...perReference)), 4);
  assert.equal(dtw([], seq).cost, Infinity);
});

Deno.test("the score falls with distance, from 100 towards 0", () => {
  const scores = [0, 10, 20, 30, 40, 60].map(scoreFromDistance);
  for (let i = 1; i < scores.length; i++) assert.ok(scores[i] <= scores[i - 1]);
  assert.ok(scores[0] >= 95);
  assert.ok(scores.at(-1)! <= 5);
  assert.equal(scoreFromDistance(Infinity), 0);
});

Deno.test("a recording of the word is closer to its reference than another word is", () => {
  const reference = utteranceFeatures(concat(silence(0.2), word([A, I, U]), silence(0.2)));
  // The learner: lower voice, slower, quieter, with some hiss.
  const learner = concat(
    silence(0.4),
    word([A, I, U], { pitch: 95, seconds: 0.9, amplitude: 0.3 }),
  );
  const hiss = noise(learner.length / RATE, 0.003);
  const same = compareUtterances(
    [reference],
    utteranceFeatures(learner.map((v, i) => v + hiss[i]), { warps: WARPS }),
  );
  const other = compareUtterances(
    [reference],
    utteranceFeatures(word([U, E, A], { pitch: 95, seconds: 0.9 }), { warps: WARPS }),
  );
  assert.ok(
    same.distance < 0.7 * other.distance,
    `same ${same.distance}, other ${other.distance}`,
  );
  assert.ok(same.score > other.score);
  assert.ok(WARPS.includes(same.warp as typeof WARPS[number]));
});

Deno.test("the alignment cost peaks at the syllable that was said differently", () => {
  const reference = utteranceFeatures(word([A, I, U]));
  const worst = (costs: number[]) => costs.indexOf(Math.max(...costs));
  // One warp: the warps exist to bend formants, which would blur what is tested here.
  const wrongMiddle = compareUtterances([reference], utteranceFeatures(word([A, E, U])));
  assert.equal(worst(syllableCosts(wrongMiddle.perReference, ["a", "i", "u"])), 1);
  const wrongEnd = compareUtterances([reference], utteranceFeatures(word([A, I, A])));
  assert.equal(worst(syllableCosts(wrongEnd.perReference, ["a", "i", "u"])), 2);
  const wrongStart = compareUtterances([reference], utteranceFeatures(word([E, I, U])));
  assert.equal(worst(syllableCosts(wrongStart.perReference, ["a", "i", "u"])), 0);
});

Deno.test("syllables share the word by their sounds, vowels weighing double", () => {
  // "ˈo.la": o (2) | l a (1 + 2): the first syllable is 40% of the word.
  assert.deepEqual(syllableSpans(["o", "la"]).map(([a, b]) => [a, Math.round(b * 100) / 100]), [
    [0, 0.4],
    [0.4, 1],
  ]);
  assert.deepEqual(syllableSpans(["uno"]), [[0, 1]]);
  assert.deepEqual(syllableCosts(Float64Array.of(1, 1, 1, 1, 3, 3, 3, 3, 3, 3), ["o", "la"]), [
    1,
    3,
  ]);
});

Deno.test("the cost peak is the centre of the costliest stretch, not one odd frame", () => {
  const costs = new Float64Array(100).fill(1);
  for (let i = 60; i < 80; i++) costs[i] = 3;
  costs[5] = 10; // a click
  assert.equal(costPeak(costs), 0.7);
  assert.equal(costPeak(Float64Array.of(1)), 0.5);
});
