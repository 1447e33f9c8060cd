/**
 * `/api/pronunciation`: how to say a word (IPA, syllables and stress, a
 * respelling, tips for the learner's hard sounds, audio or a speech-synthesis
 * hint), and scoring an attempt from the browser's speech recognition.
 */
import { Hono } from "hono";
import { z } from "zod";
import {
  lookupPronunciation,
  recordPronunciationAttempt,
  wordKeys,
} from "../db/pronunciation_lookup.ts";
import type { languages, vocabulary } from "../db/schema.ts";
import { answerKey } from "../domain/answer_matching.ts";
import { decodeBase64Audio, sniffAudio } from "../domain/audio_format.ts";
import { localDate } from "../domain/calendar.ts";
import type { Locale } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import {
  GOOD_PRONUNCIATION,
  type Guide,
  hardSounds,
  respell,
  scorePronunciation,
  suggestWords,
  syllables,
} from "../domain/pronunciation.ts";
import { pronunciationXp } from "../domain/xp.ts";
import { exampleAudioUrl, wordAudioUrl } from "../http/content_views.ts";
import type { AppEnv } from "../http/env.ts";
import { ApiError, badRequest, notFound } from "../http/errors.ts";
import { describe } from "../http/openapi.ts";
import { LanguageParam } from "../http/queries.ts";
import { currentUser, requireUser } from "../http/session.ts";
import { validate } from "../http/validate.ts";

/** Longest recording accepted for a check: one word or short phrase. */
export const CHECK_MAX_SECONDS = 15;
/** Largest recording accepted for a check (the global body limit also applies). */
export const CHECK_MAX_BYTES = 2 * 1024 * 1024;

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

function languageRef(l: LanguageRow) {
  return { id: l.id, code: l.code, tts_lang: l.ttsLang };
}

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
      summary: "Score a pronunciation attempt from the browser's speech recognition",
      description: "`audio_data` is the recording in base64: it must decode (else 400), be a " +
        "supported audio type (WAV, MP3, Ogg/Opus, WebM, M4A; else 415), not be empty (400), " +
        `and be at most ${CHECK_MAX_BYTES} bytes (413) and ${CHECK_MAX_SECONDS} s (400). ` +
        "The server does not recognise speech: the browser (Web Speech API) sends its " +
        "`transcript`, which is scored against the target phonetically (0–100). Without a " +
        "transcript the answer says so (`recognized: false`, `score: null`). The recording is " +
        "validated, not stored. Every attempt is logged as speaking activity.",
      tags: ["pronunciation"],
      auth: "user",
    }),
    requireUser,
    validate("json", CheckBody),
    async (c) => {
      const { db, clock, locale } = c.var;
      const user = currentUser(c);
      const body = c.req.valid("json");

      const bytes = decodeBase64Audio(body.audio_data);
      if (!bytes) {
        throw badRequest("audio_data is not valid base64", [
          { field: "audio_data", message: "Not valid base64" },
        ]);
      }
      if (bytes.length === 0) throw badRequest("The recording is empty");
      if (bytes.length > CHECK_MAX_BYTES) {
        throw new ApiError(
          "PAYLOAD_TOO_LARGE",
          `Recordings are limited to ${CHECK_MAX_BYTES} bytes`,
        );
      }
      const audio = sniffAudio(bytes);
      if (!audio) {
        throw new ApiError(
          "UNSUPPORTED_MEDIA_TYPE",
          "audio_data is not a supported audio file (WAV, MP3, Ogg/Opus, WebM or M4A)",
        );
      }
      if (audio.durationMs !== null && audio.durationMs > CHECK_MAX_SECONDS * 1000) {
        throw badRequest(`The recording is longer than ${CHECK_MAX_SECONDS} seconds`, [
          { field: "audio_data", message: `At most ${CHECK_MAX_SECONDS} seconds` },
        ]);
      }

      const key = answerKey(body.target_word.normalize("NFC"));
      if (!key) {
        throw badRequest("Name a word to practise", [
          { field: "target_word", message: "No letters" },
        ]);
      }
      const found = await lookupPronunciation(db, key, body.language);
      if (body.language && !found.language) throw notFound(`Language ${body.language}`);
      const match = found.words[0];
      // A target outside the word list can still be scored with the named
      // language's rules; with no language either, there is nothing to go on.
      const language = match?.language ?? found.language?.language;
      if (!language) throw await unknownWord(db, key, undefined);
      const guide = (match?.guide ?? found.language?.guide ?? null) as Guide | null;
      const targetText = match?.word.word ?? body.target_word;

      const result = scorePronunciation({
        target: targetText,
        targetReading: match?.word.romanization ?? match?.word.reading ?? null,
        transcript: body.transcript,
        language: language.code,
        guide,
        locale,
      });
      const now = clock.now();
      const xp = pronunciationXp(result.score);
      await recordPronunciationAttempt(db, {
        userId: user.id,
        kind: "pronunciation",
        skill: "speaking",
        languageId: language.id,
        refId: match?.word.id ?? null,
        correct: result.score === null ? null : result.score >= GOOD_PRONUNCIATION ? 1 : 0,
        total: result.score === null ? null : 1,
        score: result.score,
        durationSeconds: Math.round((audio.durationMs ?? 0) / 1000),
        xp,
        occurredAt: now,
        localDate: localDate(now, user.timezone),
      });
      return c.json({
        data: {
          target_word: targetText,
          vocabulary_id: match?.word.id ?? null,
          language: languageRef(language),
          ipa: match?.word.ipa ?? null,
          transcript: body.transcript?.trim() || null,
          recognized: result.recognized,
          score: result.score,
          passed: result.score === null ? null : result.score >= GOOD_PRONUNCIATION,
          method: result.method,
          expected_sounds: result.expected_sounds,
          heard_sounds: result.heard_sounds,
          problems: result.problems,
          feedback: result.feedback,
          audio: {
            mime_type: audio.mimeType,
            byte_length: bytes.length,
            duration_ms: audio.durationMs,
          },
          tts: { lang: language.ttsLang, text: targetText },
          xp_earned: xp,
        },
      });
    },
  );

/** The 404 for a word we do not know, with the closest known words. */
async function unknownWord(
  db: AppEnv["Variables"]["db"],
  key: string,
  languageId: string | undefined,
): Promise<ApiError> {
  const suggestions = suggestWords(key, await wordKeys(db, languageId));
  return new ApiError("NOT_FOUND", "Word not found", undefined, undefined, { suggestions });
}
