import assert from "node:assert/strict";
import {
  LANGUAGE_VOICES,
  speechIpa,
  speechText,
  synthesize,
  voiceForLanguage,
} from "../platform/speech_synthesis.ts";

function rms(samples: Float32Array): number {
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

const WORDS: Record<string, string> = {
  de: "Guten Morgen",
  es: "buenos días",
  fr: "bonjour",
  it: "buongiorno",
  ja: "おはよう",
  pt: "obrigado",
};

Deno.test("every course language has a voice that speaks a word audibly", async () => {
  assert.deepEqual(Object.keys(LANGUAGE_VOICES).sort(), Object.keys(WORDS).sort());
  for (const [code, word] of Object.entries(WORDS)) {
    const { samples, sampleRate } = await synthesize({ text: word, voice: voiceForLanguage(code) });
    assert.equal(sampleRate, 22050);
    const seconds = samples.length / sampleRate;
    assert.ok(seconds > 0.25 && seconds < 2.5, `${code}: ${seconds} s`);
    assert.ok(rms(samples) > 0.01, `${code} is silent`);
    assert.ok(samples.every((s) => s >= -1 && s <= 1));
  }
});

/** Same length within 1% (eSpeak jitters its timing by a few samples). */
function sameLength(a: Float32Array, b: Float32Array): boolean {
  return Math.abs(a.length - b.length) <= a.length * 0.01;
}

function identical(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

Deno.test("speed, pitch and variant change the output; settings do not leak", async () => {
  const base = await synthesize({ text: "buenos días", voice: "es" });
  const again = await synthesize({ text: "buenos días", voice: "es" });
  assert.ok(sameLength(again.samples, base.samples));
  const fast = await synthesize({ text: "buenos días", voice: "es", speed: 1.6 });
  const slow = await synthesize({ text: "buenos días", voice: "es", speed: 0.7 });
  assert.ok(fast.samples.length < base.samples.length * 0.8);
  assert.ok(slow.samples.length > base.samples.length * 1.2);
  const high = await synthesize({ text: "buenos días", voice: "es", pitch: 90 });
  assert.ok(!identical(high.samples, base.samples));
  const other = await synthesize({ text: "buenos días", voice: "es+f3" });
  assert.ok(!identical(other.samples, base.samples));
  // The rate set for one call does not leak into the next on the shared engine.
  assert.ok(
    sameLength((await synthesize({ text: "buenos días", voice: "es" })).samples, base.samples),
  );
});

Deno.test("bad requests are refused rather than spoken with the wrong voice", async () => {
  await assert.rejects(synthesize({ text: "hola", voice: "xx-nope" }), /Unknown speech voice/);
  await assert.rejects(synthesize({ text: "hola", voice: "es; rm" }), /Unknown speech voice/);
  await assert.rejects(synthesize({ text: "  ", voice: "es" }), /empty/);
  await assert.rejects(synthesize({ text: "hola", voice: "es", pitch: 120 }), /pitch/);
  await assert.rejects(synthesize({ text: "hola", voice: "es", speed: 0 }), /speed/);
  assert.throws(() => voiceForLanguage("xx"), /No speech voice/);
});

Deno.test("Japanese is read from kana, with particles respelled as pronounced", async () => {
  // [kana reading, romanization, what eSpeak is given]
  const cases: [string, string, string][] = [
    ["わたしは がくせいです。", "Watashi wa gakusei desu.", "わたしわ がくせいです。"],
    ["こんにちは", "konnichiwa", "こんにちわ"],
    ["がっこうへ", "gakkō e", "がっこーえ"],
    ["ありがとう", "arigatō", "ありがとー"],
    ["べんきょう", "benkyō", "べんきょー"],
    // Not in a verb ending, nor when the romanization has fewer long vowels.
    ["おもう", "omou", "おもう"],
    ["とうきょうでおもう", "Tōkyō de omou", "とうきょうでおもう"],
    // は that is part of a word stays.
    ["はは", "haha", "はは"],
  ];
  for (const [reading, romanization, spoken] of cases) {
    assert.equal(speechText("ja", { text: "漢字", reading, romanization }), spoken, reading);
  }
  assert.equal(speechText("es", { text: "hola", reading: "x" }), "hola");
  // Kanji would be spelled out ("Chinese letter"); kana is read as Japanese.
  assert.doesNotMatch(await speechIpa("わたしわ", "ja"), /\(en\)/);
  assert.match(await speechIpa("私", "ja"), /\(en\)/);
  assert.match(await speechIpa("hola", "es"), /o.*l.*a/);
});
