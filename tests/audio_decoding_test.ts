import assert from "node:assert/strict";
import { sniffAudio } from "../domain/audio_format.ts";
import { AudioDecodeError, decodeRecording } from "../platform/audio_decoding.ts";
import { fixture, pcmWav, tone, wavFile } from "./audio_fixtures.ts";

const OPTIONS = { maxSeconds: 15, budgetMs: 5000 };

async function decode(bytes: Uint8Array, options = OPTIONS) {
  const info = sniffAudio(bytes);
  assert.ok(info, "sniffed as audio");
  return await decodeRecording(bytes, info, options);
}

async function refusal(bytes: Uint8Array, options = OPTIONS): Promise<AudioDecodeError> {
  try {
    await decode(bytes, options);
  } catch (error) {
    assert.ok(error instanceof AudioDecodeError, `not a decode error: ${error}`);
    return error;
  }
  assert.fail("expected the recording to be refused");
}

function rms(x: Float32Array) {
  return Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
}

Deno.test("what MediaRecorder and other recorders produce decodes to 16 kHz mono", async () => {
  const cases = [
    ["gracias.ogg", "opus", 48000, 1],
    ["gracias_stereo.ogg", "opus", 48000, 2],
    ["gracias.webm", "opus", 16000, 1],
    ["gracias_live.webm", "opus", 16000, 1],
    ["gracias.mp3", "mp3", 44100, 2],
  ] as const;
  for (const [name, codec, sampleRate, channels] of cases) {
    const d = await decode(fixture(name));
    assert.equal(d.sampleRate, 16000);
    assert.deepEqual(d.source, { codec, sampleRate, channels }, name);
    // eSpeak said "muchas gracias" in 1.23 s; codecs pad or trim a few ms.
    assert.ok(Math.abs(d.durationMs - 1230) < 80, `${name}: ${d.durationMs} ms`);
    assert.ok(Math.abs(d.samples.length - d.durationMs * 16) < 40, name);
    assert.ok(rms(d.samples) > 0.03, `${name} is not silent`);
    assert.equal(d.clipped, 0);
  }
});

Deno.test("WAV of every bit depth, rate and layout decodes to 16 kHz mono", async () => {
  for (const rate of [8000, 11025, 22050, 44100, 48000]) {
    for (const bits of [16, 24, 32] as const) {
      const left = tone(0.5, 440, { rate });
      const bytes = pcmWav([left, left], { rate, bits });
      const d = await decode(bytes);
      assert.equal(d.samples.length, 8000, `${rate}/${bits}`);
      assert.deepEqual(d.source, { codec: "pcm", sampleRate: rate, channels: 2 });
      assert.ok(Math.abs(rms(d.samples) - 0.5 / Math.SQRT2) < 0.02, `${rate}/${bits}`);
    }
  }
  const float = await decode(pcmWav([tone(0.5, 440, { rate: 48000 })], {
    rate: 48000,
    bits: 32,
    float: true,
  }));
  assert.equal(float.samples.length, 8000);
});

Deno.test("unsupported codecs are 415 with the reason", async () => {
  for (const name of ["gracias.m4a", "gracias_vorbis.ogg"]) {
    const e = await refusal(fixture(name));
    assert.equal(e.status, 415, name);
    assert.equal(e.reason, "unsupported_codec");
    assert.match(e.message, /Opus/);
  }
});

Deno.test("truncated and corrupt recordings are 400 with the reason", async () => {
  const ogg = fixture("gracias.ogg");
  const cut = await refusal(ogg.subarray(0, ogg.length - 500));
  assert.equal(cut.status, 400);
  assert.equal(cut.reason, "truncated");
  const flipped = ogg.slice();
  flipped[2000] ^= 0x55;
  const crc = await refusal(flipped);
  assert.equal(crc.status, 400);
  assert.equal(crc.reason, "corrupt");

  const webm = fixture("gracias.webm");
  const garbage = webm.slice(0, 40);
  const noTrack = await refusal(garbage);
  assert.equal(noTrack.status, 400);

  const wav = wavFile(1, { sampleRate: 16000 });
  const short = await refusal(wav.subarray(0, 5000));
  assert.equal(short.reason, "truncated");
  const rate = await refusal(pcmWav([tone(0.1, 440, { rate: 96000 })], { rate: 96000, bits: 16 }));
  assert.equal(rate.reason, "sample_rate");
});

Deno.test("decoding stops at the duration limit and the time budget", async () => {
  const long = await refusal(fixture("gracias.webm"), { maxSeconds: 1, budgetMs: 5000 });
  assert.equal(long.status, 400);
  assert.equal(long.reason, "too_long");
  const slow = await refusal(fixture("gracias.ogg"), { maxSeconds: 15, budgetMs: -1 });
  assert.equal(slow.status, 400);
  assert.equal(slow.reason, "timeout");
});

Deno.test("damaged files never crash or hang the decoder", async () => {
  // A fixed pseudo-random walk over byte flips, cuts and splices of every fixture.
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const names = ["gracias.ogg", "gracias.webm", "gracias_live.webm", "gracias.mp3"];
  const started = performance.now();
  let refused = 0;
  for (let round = 0; round < 60; round++) {
    const original = fixture(names[round % names.length]);
    const bytes = original.slice(0, Math.max(48, Math.floor(original.length * (0.3 + random()))));
    for (let k = 0; k < 1 + Math.floor(random() * 20); k++) {
      // Keep the magic number so the decoder, not the sniffer, meets the damage.
      bytes[8 + Math.floor(random() * (bytes.length - 8))] = Math.floor(random() * 256);
    }
    const info = sniffAudio(bytes);
    if (!info) continue;
    try {
      const d = await decodeRecording(bytes, info, { maxSeconds: 15, budgetMs: 2000 });
      assert.ok(d.samples.every(Number.isFinite));
    } catch (error) {
      assert.ok(error instanceof AudioDecodeError, `round ${round}: ${error}`);
      assert.ok(error.status === 400 || error.status === 415);
      refused++;
    }
  }
  assert.ok(refused > 10, `${refused} refused`);
  assert.ok(performance.now() - started < 20000);
});
