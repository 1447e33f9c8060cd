import assert from "node:assert/strict";
import { decodeBase64Audio, parseRange, resolveRange, sniffAudio } from "../domain/audio_format.ts";
import { kanaToRomaji, phoneticKey } from "../domain/phonetic_key.ts";
import type { SignalCheck } from "../domain/acoustic_scoring.ts";
import {
  alignTokens,
  estimatedSyllables,
  judgePronunciation,
  respell,
  scorePronunciation,
  syllableCount,
  syllables,
} from "../domain/pronunciation.ts";
import {
  acceptedFor,
  compareTranslation,
  detectAnswerLanguage,
  exerciseSides,
} from "../domain/translation_checking.ts";
import { pronunciationXp, translationXp } from "../domain/xp.ts";
import { concat, mp3File, oggOpusFile, wavFile } from "./audio_fixtures.ts";

Deno.test("sniffAudio() refuses lookalikes: RIFF that is not WAVE, an ID3 tag with no frame", () => {
  const avi = wavFile(0.1);
  avi.set(new TextEncoder().encode("AVI "), 8);
  assert.equal(sniffAudio(avi), null);
  assert.equal(sniffAudio(new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 1, 2])), null);
  assert.equal(sniffAudio(new Uint8Array([0xff, 0xff, 0xff, 0xff])), null); // invalid frame fields
  assert.equal(sniffAudio(new Uint8Array(0)), null);
});

Deno.test("sniffAudio() reads a Xing frame count over the CBR estimate", () => {
  const mp3 = mp3File(3, false);
  // Xing header after the 32-byte side info of a stereo MPEG-1 frame: 1000 frames.
  const at = 4 + 32;
  mp3.set(new TextEncoder().encode("Xing"), at);
  new DataView(mp3.buffer).setUint32(at + 4, 1);
  new DataView(mp3.buffer).setUint32(at + 8, 1000);
  assert.equal(sniffAudio(mp3)?.durationMs, Math.round(1000 * 1152 / 44100 * 1000));
});

Deno.test("sniffAudio() subtracts Opus pre-skip and takes the last page's granule", () => {
  const info = sniffAudio(concat(oggOpusFile(3)));
  assert.equal(info?.codec, "opus");
  assert.equal(info?.durationMs, 3000);
});

Deno.test("parseRange() and resolveRange() follow RFC 9110's byte ranges", () => {
  assert.deepEqual(parseRange("bytes=0-9"), { start: 0, end: 9 });
  assert.deepEqual(parseRange("bytes=5-"), { start: 5 });
  assert.deepEqual(parseRange("bytes=-3"), { suffix: 3 });
  assert.equal(parseRange("bytes=9-0"), null);
  assert.equal(parseRange("items=0-1"), null);
  assert.equal(parseRange(undefined), null);
  assert.deepEqual(resolveRange({ suffix: 500 }, 100), { start: 0, end: 99 });
  assert.deepEqual(resolveRange({ start: 90, end: 200 }, 100), { start: 90, end: 99 });
  assert.equal(resolveRange({ start: 100 }, 100), "unsatisfiable");
  assert.equal(resolveRange({ suffix: 0 }, 100), "unsatisfiable");
});

Deno.test("decodeBase64Audio() takes data URLs and URL-safe base64, refuses anything else", () => {
  assert.deepEqual(
    decodeBase64Audio("data:audio/webm;codecs=opus;base64,AAEC"),
    new Uint8Array([0, 1, 2]),
  );
  assert.deepEqual(decodeBase64Audio("_-8"), new Uint8Array([0xff, 0xef]));
  assert.equal(decodeBase64Audio("not base64!"), null);
  assert.equal(decodeBase64Audio("A"), null);
});

Deno.test("phoneticKey() gives homophone spellings one key and different sounds different keys", () => {
  assert.deepEqual(phoneticKey("hola", "es"), phoneticKey("ola", "es"));
  assert.deepEqual(phoneticKey("vaca", "es"), phoneticKey("baca", "es"));
  assert.deepEqual(phoneticKey("calle", "es"), phoneticKey("caye", "es"));
  assert.notDeepEqual(phoneticKey("pero", "es"), phoneticKey("perro", "es"));
  assert.deepEqual(phoneticKey("parler", "fr"), phoneticKey("parlé", "fr"));
  assert.deepEqual(phoneticKey("Rad", "de"), phoneticKey("Rat", "de")); // final devoicing
  assert.notDeepEqual(phoneticKey("nono", "it"), phoneticKey("nonno", "it")); // geminates count
  assert.deepEqual(phoneticKey("おはよう", "ja"), phoneticKey("ohayō", "ja"));
  assert.equal(kanaToRomaji("きょう"), "kyou");
  assert.equal(kanaToRomaji("ちょっと"), "chotto");
  assert.equal(kanaToRomaji("コーヒー"), "koohii");
});

Deno.test("syllables() and respell() split on . and ˈ and capitalise the stress", () => {
  assert.deepEqual(syllables("a.ˈdjos"), [[{ ipa: "a", stress: null }, {
    ipa: "djos",
    stress: "primary",
  }]]);
  assert.equal(respell("ˈka.sa", { k: "k", a: "ah", s: "s" }), "KAH-sah");
  assert.equal(respell("ˈtʃo.ko", { t: "t", "tʃ": "ch", o: "oh", k: "k" }), "CHOH-koh");
});

Deno.test("alignTokens() counts a close sound as half a mistake", () => {
  assert.equal(alignTokens(["p", "a"], ["b", "a"]).cost, 0.5);
  assert.equal(alignTokens(["p", "a"], ["m", "a"]).cost, 1);
  assert.equal(alignTokens(["a"], []).steps[0].op, "missing");
});

Deno.test("scorePronunciation() never scores without a transcript", () => {
  const none = scorePronunciation({
    target: "hola",
    transcript: "  ",
    language: "es",
    guide: null,
    locale: "es",
  });
  assert.equal(none.score, null);
  assert.equal(none.recognized, false);
  assert.match(none.feedback, /No se pudo/);
  // A sentence around the word still finds it.
  const window = scorePronunciation({
    target: "hola",
    transcript: "eh hola",
    language: "es",
    guide: null,
    locale: "en",
  });
  assert.equal(window.score, 100);
});

Deno.test("compareTranslation() treats accents as partial and moves as cheaper than two mistakes", () => {
  const accent = compareTranslation("el cafe", "el café", "es");
  assert.equal(accent.correct, true);
  assert.equal(accent.score, 88);
  const moved = compareTranslation("el rojo coche", "el coche rojo", "es");
  assert.equal(moved.score, 83);
  const ja = compareTranslation("これはペンです", "これは ペン です。", "ja");
  assert.equal(ja.correct, true);
});

Deno.test("detectAnswerLanguage() only judges long enough answers among the given languages", () => {
  assert.equal(detectAnswerLanguage("hello", "es", ["en"]).reliable, false);
  const fr = detectAnswerLanguage("Je suis très fatigué aujourd'hui", "fr", ["en"]);
  assert.equal(fr.detected, "fr");
  assert.equal(fr.wrong_language, false);
  const ja = detectAnswerLanguage("I am a student", "ja", ["en"]);
  assert.equal(ja.wrong_language, true);
  assert.equal(detectAnswerLanguage("わたしはがくせいです", "ja", ["en"]).detected, "ja");
});

Deno.test("pronunciationXp() and translationXp() follow the table in domain/xp.ts", () => {
  assert.equal(pronunciationXp(null), 0);
  assert.equal(pronunciationXp(79), 0);
  assert.equal(pronunciationXp(80), 2);
  assert.equal(pronunciationXp(95), 3);
  assert.equal(translationXp({ correct: true, score: 100, firstMastery: true }).xp, 8);
  assert.equal(translationXp({ correct: false, score: 70, firstMastery: false }).xp, 1);
  assert.equal(translationXp({ correct: false, score: 20, firstMastery: false }).xp, 0);
  // Retries the same day: only what an answer adds over the day's best.
  assert.equal(
    translationXp({ correct: true, score: 100, firstMastery: false, paidToday: 1 }).xp,
    2,
  );
  assert.equal(
    translationXp({ correct: true, score: 100, firstMastery: false, paidToday: 3 }).xp,
    0,
  );
});

const CLEAN: SignalCheck = {
  scoreable: true,
  issues: [],
  speech: { start: 10, end: 60, peakDb: -10, speechDb: -20, noiseDb: -70 },
  speechMs: 500,
  expectedMs: { min: 120, max: 2400 },
  snrDb: 50,
};

Deno.test("judgePronunciation() says which evidence the score rests on", () => {
  const hola = syllables("ˈo.la").flat();
  const phonetic = scorePronunciation({
    target: "hola",
    transcript: "hola",
    language: "es",
    guide: null,
    locale: "en",
  });
  const both = judgePronunciation({
    signal: CLEAN,
    acoustic: { score: 70, syllableCosts: [1, 2] },
    phonetic,
    syllables: hola,
    locale: "en",
  });
  assert.equal(both.method, "acoustic+phonetic");
  assert.equal(both.score, 85);
  assert.deepEqual(both.evidence, { acoustic: 70, phonetic: 100 });
  assert.deepEqual(both.weakest_syllable, { index: 1, ipa: "la", stressed: false });
  assert.match(both.feedback, /syllable “la” \(2\/2\)/);

  const audioOnly = judgePronunciation({
    signal: CLEAN,
    acoustic: { score: 40, syllableCosts: [3, 1] },
    phonetic: null,
    syllables: hola,
    locale: "es",
  });
  assert.equal(audioOnly.method, "acoustic");
  assert.equal(audioOnly.score, 40);
  assert.deepEqual(audioOnly.weakest_syllable, { index: 0, ipa: "o", stressed: true });
  assert.match(audioOnly.feedback, /Todavía no.*sílaba “o”/);

  const transcriptOnly = judgePronunciation({
    signal: CLEAN,
    acoustic: null,
    phonetic,
    syllables: hola,
    locale: "en",
  });
  assert.equal(transcriptOnly.method, "phonetic");
  assert.equal(transcriptOnly.score, 100);
  assert.equal(transcriptOnly.weakest_syllable, null);

  const nothing = judgePronunciation({
    signal: CLEAN,
    acoustic: null,
    phonetic: null,
    syllables: hola,
    locale: "en",
  });
  assert.equal(nothing.score, null);
  assert.equal(nothing.method, null);
});

Deno.test("judgePronunciation(): a blocking signal issue leaves no score, even with a transcript", () => {
  const silent: SignalCheck = {
    ...CLEAN,
    scoreable: false,
    issues: [{ code: "silence", blocking: true, message: "The recording is silent." }],
  };
  const verdict = judgePronunciation({
    signal: silent,
    acoustic: null,
    phonetic: scorePronunciation({
      target: "hola",
      transcript: "hola",
      language: "es",
      guide: null,
      locale: "en",
    }),
    syllables: [],
    locale: "en",
  });
  assert.equal(verdict.score, null);
  assert.equal(pronunciationXp(verdict.score), 0);
  assert.equal(verdict.feedback, "The recording is silent.");
  // A warning is passed on with the verdict.
  const noisy = judgePronunciation({
    signal: { ...CLEAN, issues: [{ code: "noise", blocking: false, message: "Noisy." }] },
    acoustic: { score: 96, syllableCosts: [] },
    phonetic: null,
    syllables: [],
    locale: "en",
  });
  assert.equal(noisy.score, 96);
  assert.match(noisy.feedback, /Noisy\.$/);
});

Deno.test("syllable counts from IPA, or from spelling for words without it", () => {
  assert.equal(syllableCount("ˈo.la"), 2);
  assert.equal(syllableCount("ˈbwe.nos ˈdi.as"), 4);
  assert.equal(syllableCount(""), 1);
  assert.equal(estimatedSyllables("mariposa", "es"), 4);
  assert.equal(estimatedSyllables("xyz", "es"), 1);
});

Deno.test("exerciseSides() and acceptedFor() answer in the learner's language, else English", () => {
  const toTarget = {
    direction: "to_target" as const,
    source: { en: "Hi", es: "Hola" },
    accepted: ["Salut"],
  };
  assert.deepEqual(exerciseSides(toTarget, "fr", "es"), { source: "es", answer: "fr" });
  const englishOnly = { ...toTarget, source: { en: "Hi" } };
  assert.deepEqual(exerciseSides(englishOnly, "fr", "es"), { source: "en", answer: "fr" });
  assert.deepEqual(acceptedFor(toTarget, "fr"), ["Salut"]);
  const fromTarget = {
    direction: "from_target" as const,
    source: "Salut",
    accepted: { en: ["Hi", "Hello"], es: ["Hola"] },
  };
  assert.deepEqual(exerciseSides(fromTarget, "fr", "es"), { source: "fr", answer: "es" });
  assert.deepEqual(acceptedFor(fromTarget, "es"), ["Hola"]);
  const noSpanish = { ...fromTarget, accepted: { en: ["Hi", "Hello"] } };
  assert.deepEqual(exerciseSides(noSpanish, "fr", "es"), { source: "fr", answer: "en" });
  assert.deepEqual(acceptedFor(noSpanish, "es"), ["Hi", "Hello"]);
});
