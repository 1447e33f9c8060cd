import assert from "node:assert/strict";
import { AudioDecodeError, clippedShare, mixToMono, parseWav, resample } from "../domain/pcm.ts";
import { pcmWav, tone } from "./audio_fixtures.ts";

const RAMP = Array.from({ length: 64 }, (_, i) => (i - 32) / 40);

function decodeError(run: () => unknown): AudioDecodeError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof AudioDecodeError, String(error));
    return error;
  }
  assert.fail("expected an AudioDecodeError");
}

Deno.test("WAV: integer PCM of 8, 16, 24 and 32 bits and 32-bit float read back", () => {
  const cases = [
    { bits: 8, tolerance: 1 / 60 },
    { bits: 16, tolerance: 1e-4 },
    { bits: 24, tolerance: 1e-6 },
    { bits: 32, tolerance: 1e-6 },
  ] as const;
  for (const { bits, tolerance } of cases) {
    for (const extensible of [false, true]) {
      const pcm = parseWav(pcmWav([RAMP], { rate: 16000, bits, extensible }), 15);
      assert.equal(pcm.sampleRate, 16000);
      assert.equal(pcm.channels.length, 1);
      pcm.channels[0].forEach((v, i) =>
        assert.ok(Math.abs(v - RAMP[i]) <= tolerance, `${bits} bit sample ${i}: ${v}`)
      );
    }
  }
  const float = parseWav(pcmWav([RAMP], { rate: 44100, bits: 32, float: true }), 15);
  assert.deepEqual([...float.channels[0]], RAMP.map(Math.fround));
});

Deno.test("WAV: stereo keeps its channels; mixing averages them", () => {
  const left = RAMP;
  const right = RAMP.map((v) => -v / 2);
  const pcm = parseWav(pcmWav([left, right], { rate: 48000, bits: 16 }), 15);
  assert.equal(pcm.channels.length, 2);
  const mono = mixToMono(pcm.channels);
  mono.forEach((v, i) => assert.ok(Math.abs(v - RAMP[i] / 4) < 1e-3));
});

Deno.test("WAV: broken, truncated, out-of-range and unsupported files are refused", () => {
  const good = pcmWav([tone(0.1, 440)], { rate: 16000, bits: 16 });
  const truncated = decodeError(() => parseWav(good.subarray(0, 1000), 15));
  assert.equal(truncated.status, 400);
  assert.equal(truncated.reason, "truncated");
  assert.match(truncated.message, /truncated/);

  const notWav = decodeError(() => parseWav(new TextEncoder().encode("hello world!"), 15));
  assert.equal(notWav.reason, "corrupt");

  for (const rate of [4000, 96000]) {
    const e = decodeError(() => parseWav(pcmWav([RAMP], { rate, bits: 16 }), 15));
    assert.equal(e.status, 400);
    assert.equal(e.reason, "sample_rate");
    assert.match(e.message, new RegExp(`${rate} Hz is out of range`));
  }

  const adpcm = pcmWav([RAMP], { rate: 16000, bits: 16 });
  new DataView(adpcm.buffer).setUint16(20, 2, true); // MS ADPCM
  const codec = decodeError(() => parseWav(adpcm, 15));
  assert.equal(codec.status, 415);
  assert.equal(codec.reason, "unsupported_codec");

  const long = decodeError(() =>
    parseWav(pcmWav([tone(3, 440, { rate: 8000 })], { rate: 8000, bits: 16 }), 2)
  );
  assert.equal(long.reason, "too_long");

  const noData = good.subarray(0, 36); // RIFF and fmt only
  assert.equal(decodeError(() => parseWav(noData, 15)).status, 400);
});

Deno.test("WAV: a streaming writer's placeholder size reads what is there", () => {
  const bytes = pcmWav([RAMP], { rate: 22050, bits: 16 });
  new DataView(bytes.buffer).setUint32(40, 0x7ffff000, true); // eSpeak's --stdout
  assert.equal(parseWav(bytes, 15).channels[0].length, RAMP.length);
  new DataView(bytes.buffer).setUint32(40, 0xffffffff, true);
  assert.equal(parseWav(bytes, 15).channels[0].length, RAMP.length);
});

Deno.test("WAV: NaN and out-of-range floats are tamed", () => {
  const pcm = parseWav(pcmWav([[NaN, 5, -5, 0.25]], { rate: 16000, bits: 32, float: true }), 15);
  assert.deepEqual([...pcm.channels[0]], [0, 1, -1, 0.25]);
});

function rms(x: Float32Array, from = 0, to = x.length) {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return Math.sqrt(sum / (to - from));
}

function zeroCrossings(x: Float32Array) {
  let n = 0;
  for (let i = 1; i < x.length; i++) if ((x[i - 1] < 0) !== (x[i] < 0)) n++;
  return n;
}

Deno.test("resampling keeps speech-band tones and removes what would alias", () => {
  for (const from of [8000, 22050, 44100, 48000]) {
    const input = tone(1, 1000, { rate: from });
    const out = resample(input, from, 16000);
    assert.equal(out.length, 16000);
    // One second of 1 kHz: 2000 zero crossings, at the same level (edges aside).
    assert.ok(Math.abs(zeroCrossings(out) - 2000) <= 2, `${from}: ${zeroCrossings(out)}`);
    assert.ok(Math.abs(rms(out, 800, 15200) - 0.5 / Math.SQRT2) < 0.01, `${from} level`);
  }
  // 12 kHz cannot exist at 16 kHz: it must be filtered, not folded to 4 kHz.
  const high = resample(tone(1, 12000, { rate: 48000 }), 48000, 16000);
  assert.ok(rms(high, 800, 15200) < 0.01, `aliased: ${rms(high, 800, 15200)}`);
  const same = tone(0.1, 440);
  assert.equal(resample(same, 16000, 16000), same);
});

Deno.test("clipping is the share of full-scale samples", () => {
  const clean = tone(0.1, 440, { amplitude: 0.5 });
  assert.equal(clippedShare([clean]), 0);
  const hot = clean.map((v) => Math.max(-1, Math.min(1, v * 4)));
  assert.ok(clippedShare([hot]) > 0.3);
});
