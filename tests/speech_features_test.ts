import assert from "node:assert/strict";
import {
  CEPSTRA,
  fft,
  FRAME_HOP,
  FRAME_LENGTH,
  frameCount,
  frameEnergiesDb,
  mfcc,
  normaliseCepstra,
  withDeltas,
} from "../domain/speech_features.ts";
import { tone } from "./audio_fixtures.ts";

Deno.test("FFT: a cosine at bin k has all its energy at k and n − k", () => {
  const n = 64;
  const re = Float64Array.from({ length: n }, (_, i) => Math.cos(2 * Math.PI * 5 * i / n));
  const im = new Float64Array(n);
  fft(re, im);
  for (let b = 0; b < n; b++) {
    const magnitude = Math.hypot(re[b], im[b]);
    assert.ok(Math.abs(magnitude - (b === 5 || b === n - 5 ? n / 2 : 0)) < 1e-9, `bin ${b}`);
  }
  const impulse = new Float64Array(n);
  impulse[0] = 1;
  const zero = new Float64Array(n);
  fft(impulse, zero);
  assert.ok(impulse.every((v) => Math.abs(v - 1) < 1e-12));
});

Deno.test("frames: 25 ms every 10 ms, energy in dBFS", () => {
  assert.equal(frameCount(FRAME_LENGTH - 1), 0);
  assert.equal(frameCount(FRAME_LENGTH), 1);
  assert.equal(frameCount(16000), 1 + Math.floor((16000 - FRAME_LENGTH) / FRAME_HOP));
  const energies = frameEnergiesDb(tone(0.5, 1000, { amplitude: 1 }));
  // A full-scale sine has a mean square of 1/2: −3 dB.
  assert.ok(energies.every((e) => Math.abs(e + 3.01) < 0.1), String(energies[0]));
  assert.ok(frameEnergiesDb(new Float32Array(1600)).every((e) => e === -100));
});

function meanDistance(a: Float64Array[], b: Float64Array[]) {
  let sum = 0;
  for (let f = 0; f < a.length; f++) {
    let d = 0;
    for (let k = 0; k < a[f].length; k++) d += (a[f][k] - b[f][k]) ** 2;
    sum += Math.sqrt(d);
  }
  return sum / a.length;
}

/** A buzz with a vowel-like spectrum: harmonics of 120 Hz, stronger near 700 and 1200 Hz. */
function vowel(seconds: number, formants: number[]): Float32Array {
  const rate = 16000;
  return Float32Array.from({ length: seconds * rate }, (_, i) => {
    let v = 0;
    for (let h = 1; h * 120 < 7000; h++) {
      const f = h * 120;
      const gain = formants.reduce((g, fm) => g + 1 / (1 + ((f - fm) / 150) ** 2), 0.02);
      v += gain * Math.sin(2 * Math.PI * f * i / rate);
    }
    return v * 0.05;
  });
}

Deno.test("MFCC: 12 coefficients per frame; loudness does not change them", () => {
  const a = vowel(0.3, [700, 1200]);
  const features = mfcc(a);
  assert.equal(features.length, frameCount(a.length));
  assert.equal(features[0].length, CEPSTRA);
  const louder = mfcc(a.map((v) => v * 4));
  assert.ok(meanDistance(features, louder) < 1e-6);
  // A different vowel is far away.
  const other = mfcc(vowel(0.3, [300, 2300]));
  assert.ok(meanDistance(features, other) > 5, String(meanDistance(features, other)));
});

Deno.test("cepstral mean normalisation cancels a microphone's colouring", () => {
  const a = vowel(0.3, [700, 1200]);
  // A crude bright microphone: y[n] = x[n] − 0.6 x[n−1].
  const coloured = a.map((v, i) => v - 0.6 * (i ? a[i - 1] : 0));
  const raw = meanDistance(mfcc(a), mfcc(coloured));
  const normalised = meanDistance(normaliseCepstra(mfcc(a)), normaliseCepstra(mfcc(coloured)));
  assert.ok(normalised < raw / 5, `raw ${raw}, normalised ${normalised}`);
  const means = normaliseCepstra(mfcc(a)).reduce(
    (m, f) => m.map((v, k) => v + f[k]),
    new Float64Array(CEPSTRA),
  );
  assert.ok(means.every((v) => Math.abs(v) < 1e-9));
});

Deno.test("deltas: small on a steady sound, large where it changes", () => {
  const a = vowel(0.3, [700, 1200]);
  const b = vowel(0.3, [300, 2300]);
  const joined = new Float32Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  const deltaSize = (f: Float64Array) => Math.hypot(...f.slice(CEPSTRA));
  const steady = withDeltas(mfcc(a));
  assert.equal(steady[0].length, 2 * CEPSTRA);
  const change = withDeltas(mfcc(joined));
  const steadyMax = Math.max(...steady.slice(2, -2).map(deltaSize));
  const changeMax = Math.max(...change.map(deltaSize));
  assert.ok(changeMax > 10 * steadyMax, `steady ${steadyMax}, change ${changeMax}`);
});
