/**
 * `/api/pronunciation`: how to say a word (IPA, syllables and stress, a
 * respelling, tips for the learner's hard sounds, audio or a speech-synthesis
 * hint), and scoring an attempt from the browser's speech recognition.
 */
import { Hono } from "hono";
import {
  CHECK_MAX_BYTES,
  CHECK_MAX_SECONDS,
  checkPronunciation,
  languageRef,
  unknownWord,
} from "../actions/check_pronunciation.ts";
import { z } from "zod";
import { lookupPronunciation } from "../db/pronunciation_lookup.ts";
import type { languages, vocabulary } from "../db/schema.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { decodeBase64Audio } from "../domain/audio_format.ts";
import type { Locale } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import { type Guide, hardSounds, respell, syllables } from "../domain/pronunciation.ts";
import { exampleAudioUrl, wordAudioUrl } from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

const WordParam = z.object({
  word: z.string().trim().min(1, "Name a word").max(100),
});
const WordQuery = z.object({ language: LanguageParam.optional() }).strict();

const CheckBody = z.object({
  /** The learner's recording, base64 (a `data:` URL prefix is accepted). */
  audio_data: z.string().min(1, "The recording is empty"),
  target_word: z.string().trim().min(1).max(100),
  language: LanguageParam.optional(),
  /** What the browser's speech recognition heard, if it could. */
  transcript: z.string().max(500).nullish(),
}).strict();

type WordRow = typeof vocabulary.$inferSelect;
type LanguageRow = typeof languages.$inferSelect;

/** Everything a learner needs to say a word. */
function pronunciationView(w: WordRow, l: LanguageRow, guide: Guide | null, locale: Locale) {
  const map = guide ? guide.respelling[locale] ?? guide.respelling.en : null;
  return {
    word: w.word,
    vocabulary_id: w.id,
    language: languageRef(l),
    reading: w.reading,
    romanization: w.romanization,
    translation: localized(w.translation, locale),
    ipa: w.ipa,
    syllables: syllables(w.ipa).map((word) =>
      word.map((s) => ({ ipa: s.ipa, stressed: s.stress === "primary", stress: s.stress }))
    ),
    respelling: map ? respell(w.ipa, map) : null,
    tips: guide ? hardSounds(w.ipa, guide, locale) : [],
    notes: guide ? (guide.notes ?? []).map((n) => localized(n, locale)) : [],
    examples: [{
      text: w.example.text,
      translation: localized(w.example.translation, locale),
      reading: w.example.reading ?? null,
      romanization: w.example.romanization ?? null,
      audio_url: exampleAudioUrl(w),
    }],
    audio_url: wordAudioUrl(w),
    // Always there: the browser's speechSynthesis can say any word.
    tts: { lang: l.ttsLang, text: w.word },
    guide_available: guide !== null,
  };
}

export const pronunciationRoutes = new Hono<AppEnv>()
  .get(
    "/:word",
    describe({
      summary: "How to pronounce a word: IPA, syllables, respelling, tips, audio or TTS hint",
      description: "Public. The word is Unicode (é, ß, 日本), normalised (NFC, case) and looked " +
        "up by spelling, reading or romanization; `language` (code or id) narrows the search, " +
        "otherwise every language is searched. Tips are the language's sounds in the word that " +
        "are hard for speakers of the learner's language, hardest first. Unknown words answer " +
        "404 with `suggestions`.",
      tags: ["pronunciation"],
      auth: "optional",
      responses: { 200: "The word's pronunciation", 404: "Unknown word, with suggestions" },
    }),
    validate("param", WordParam),
    validate("query", WordQuery),
    async (c) => {
      const { db, locale } = c.var;
      const word = c.req.valid("param").word.normalize("NFC");
      const { language } = c.req.valid("query");
      const key = answerKey(word);
      if (!key) throw badRequest("Name a word", [{ field: "word", message: "No letters" }]);
      const found = await lookupPronunciation(db, key, language);
      if (language && !found.language) throw notFound(`Language ${language}`);
      const [first, ...others] = found.words;
      if (!first) throw await unknownWord(db, key, found.language?.language.id);
      return c.json({
        data: {
          ...pronunciationView(first.word, first.language, first.guide as Guide | null, locale),
          // The same spelling in other languages ("no", "me"): ask with ?language=.
          also_in: [...new Set(others.map((o) => o.language.code))]
            .filter((code) => code !== first.language.code),
        },
      });
    },
  )
  .post(
    "/check",
    describe({
      summary: "Score a pronunciation attempt from the recording (and a transcript, if any)",
      description: "`audio_data` is the recording in base64: it must decode (else 400), be a " +
        "supported audio type (WAV PCM 8–32-bit or float, Ogg/Opus, WebM/Opus, MP3; MP4/AAC, " +
        "Ogg/Vorbis and other codecs are 415), not be empty, truncated or corrupt (400, with " +
        "`reason`), have a sample rate of 8–48 kHz (400) and be at most " +
        `${CHECK_MAX_BYTES} bytes (413) and ${CHECK_MAX_SECONDS} s (400). ` +
        "The recording is checked first (silence, too quiet, far too short or long for the " +
        "word's syllables: no score; clipping and noise: a warning), then compared with the " +
        "word's model recordings (its stored audio or eSpeak NG's, in three voices) by MFCC " +
        "features aligned with dynamic time warping (0–100, `evidence.acoustic`). A browser " +
        "that also sends its speech recogniser's `transcript` gets it scored phonetically " +
        "(`evidence.phonetic`) and averaged in; `method` names the evidence used. " +
        "`weakest_syllable` is where the recording strays furthest from the model. A recording " +
        "that fails a blocking check has `score: null` and earns no XP, whatever the " +
        "transcript says; a word pays its XP once per learner-local day. The recording is not " +
        "stored; every attempt is logged as speaking activity, and the answer names the " +
        "achievements it earned (`new_achievements`) and the learner's `streak`.",
      tags: ["pronunciation"],
      auth: "user",
      responses: {
        200: "The verdict",
        400: "Broken, truncated, too long or out-of-range audio, with `reason`",
        413: "Too large",
        415: "Not a supported audio type or codec, with `reason`",
      },
    }),
    requireUser,
    validate("json", CheckBody),
    async (c) => {
      const body = c.req.valid("json");
      const recording = decodeBase64Audio(body.audio_data);
      if (!recording) {
        throw badRequest("audio_data is not valid base64", [
          { field: "audio_data", message: "Not valid base64" },
        ]);
      }
      const result = await checkPronunciation(c.var, currentUser(c), {
        recording,
        targetWord: body.target_word,
        language: body.language,
        transcript: body.transcript,
      });
      return c.json({ data: result });
    },
  );
