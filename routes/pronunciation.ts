/**
 * `/api/pronunciation`: how to say a word (IPA, syllables and stress, a
 * respelling, tips for the learner's hard sounds, audio or a speech-synthesis
 * hint), and scoring an attempt from the browser's speech recognition.
 */
import { Hono } from "hono";
import { z } from "zod";
import { databaseAudioStore } from "../db/audio_store.ts";
import { type Credit, creditStatements, unpaidXp } from "../db/item_credits.ts";
import {
  lookupPronunciation,
  recordPronunciationAttempt,
  wordKeys,
} from "../db/pronunciation_lookup.ts";
import type { languages, vocabulary } from "../db/schema.ts";
import { answerKey } from "../domain/answer_matching.ts";
import {
  checkRecording,
  compareUtterances,
  costPeak,
  syllableCosts,
  utteranceFeatures,
  WARPS,
} from "../domain/acoustic_scoring.ts";
import { decodeBase64Audio, sniffAudio } from "../domain/audio_format.ts";
import { localDate } from "../domain/calendar.ts";
import type { Locale } from "../domain/content_schema.ts";
import { localized } from "../domain/localize.ts";
import {
  estimatedSyllables,
  GOOD_PRONUNCIATION,
  type Guide,
  hardSounds,
  judgePronunciation,
  respell,
  scorePronunciation,
  suggestWords,
  syllables,
} from "../domain/pronunciation.ts";
import { AudioDecodeError, decodeRecording } from "../platform/audio_decoding.ts";
import { referenceSet } from "../platform/pronunciation_reference.ts";
import { pronunciationXp, repeatXp } from "../domain/xp.ts";
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
/** Longest target outside the word list that gets synthesised models. */
const MAX_UNLISTED_TARGET_CHARS = 30;
/** Wall-clock budget for decoding a recording (a 15 s Opus file takes ~0.1 s). */
export const DECODE_BUDGET_MS = 1500;

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
        "transcript says; a word pays its XP once per learner-local day. The recording is not stored; every attempt is logged as speaking " +
        "activity.",
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
          "audio_data is not a supported audio file (WAV, Ogg/Opus, WebM/Opus or MP3)",
          undefined,
          undefined,
          { reason: "unsupported_format" },
        );
      }
      if (audio.durationMs !== null && audio.durationMs > CHECK_MAX_SECONDS * 1000) {
        throw badRequest(`The recording is longer than ${CHECK_MAX_SECONDS} seconds`, [
          { field: "audio_data", message: `At most ${CHECK_MAX_SECONDS} seconds` },
        ]);
      }
      const recording = await decodeRecording(bytes, audio, {
        maxSeconds: CHECK_MAX_SECONDS,
        budgetMs: DECODE_BUDGET_MS,
      }).catch((error) => {
        if (!(error instanceof AudioDecodeError)) throw error;
        throw new ApiError(
          error.status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : "VALIDATION_ERROR",
          error.message,
          [{ field: "audio_data", message: error.message }],
          undefined,
          { reason: error.reason },
        );
      });

      const key = answerKey(body.target_word.normalize("NFC"));
      if (!key) {
        throw badRequest("Name a word to practise", [
          { field: "target_word", message: "No letters" },
        ]);
      }
      const now = clock.now();
      const today = localDate(now, user.timezone);
      // A word pays its XP once a learner-local day: replaying a good recording
      // (or the model clip itself) again and again earns nothing more.
      const credit = { userId: user.id, itemKey: `pronunciation:${key}`, localDate: today };
      const found = await lookupPronunciation(db, key, body.language, credit);
      if (body.language && !found.language) throw notFound(`Language ${body.language}`);
      const match = found.words[0];
      // A target outside the word list can still be scored with the named
      // language's rules; with no language either, there is nothing to go on.
      const language = match?.language ?? found.language?.language;
      if (!language) throw await unknownWord(db, key, undefined);
      const guide = (match?.guide ?? found.language?.guide ?? null) as Guide | null;
      const targetText = match?.word.word ?? body.target_word;
      const wordSyllables = match?.word.ipa ? syllables(match.word.ipa).flat() : [];

      const signal = checkRecording(recording.samples, {
        clipped: recording.clipped,
        syllables: wordSyllables.length || estimatedSyllables(targetText, language.code),
        locale,
      });
      const phonetic = signal.scoreable && body.transcript?.trim()
        ? scorePronunciation({
          target: targetText,
          targetReading: match?.word.romanization ?? match?.word.reading ?? null,
          transcript: body.transcript,
          language: language.code,
          guide,
          locale,
        })
        : null;
      // A target outside the word list is synthesised too, but only if short:
      // three syntheses of 100 characters would make each check a CPU burst.
      const modelled = match || [...targetText].length <= MAX_UNLISTED_TARGET_CHARS;
      const acoustic = signal.scoreable && modelled
        ? await scoreAgainstModel(db, recording.samples, signal.speech, {
          language: language.code,
          text: targetText,
          reading: match?.word.reading ?? null,
          romanization: match?.word.romanization ?? null,
          audioId: match?.word.audioId ?? null,
          syllables: wordSyllables.map((s) => s.ipa),
        })
        : null;
      const verdict = judgePronunciation({
        signal,
        acoustic,
        phonetic,
        syllables: wordSyllables,
        locale,
      });
      const value = pronunciationXp(verdict.score);
      const xp = repeatXp(value, found.paidToday);
      const credits: Credit[] = value ? [{ key: credit.itemKey, xp: value, localDate: today }] : [];
      await recordPronunciationAttempt(db, {
        userId: user.id,
        kind: "pronunciation",
        skill: "speaking",
        languageId: language.id,
        refId: match?.word.id ?? null,
        correct: verdict.score === null ? null : verdict.score >= GOOD_PRONUNCIATION ? 1 : 0,
        total: verdict.score === null ? null : 1,
        score: verdict.score,
        durationSeconds: Math.round(recording.durationMs / 1000),
        xp: credits.length ? unpaidXp(user.id, credits) : 0,
        occurredAt: now,
        localDate: today,
      }, creditStatements(db, user.id, credits));
      return c.json({
        data: {
          target_word: targetText,
          vocabulary_id: match?.word.id ?? null,
          language: languageRef(language),
          ipa: match?.word.ipa ?? null,
          transcript: body.transcript?.trim() || null,
          recognized: phonetic?.recognized ?? false,
          score: verdict.score,
          passed: verdict.score === null ? null : verdict.score >= GOOD_PRONUNCIATION,
          method: verdict.method,
          evidence: {
            ...verdict.evidence,
            reference: acoustic?.reference ?? null,
          },
          weakest_syllable: verdict.weakest_syllable,
          // Where the recording strays from the model: the peak as a share of
          // the word, and the mean cost over each syllable's stretch.
          alignment: acoustic
            ? { peak_at: acoustic.peakAt, syllable_costs: acoustic.syllableCosts }
            : null,
          signal: {
            scoreable: signal.scoreable,
            issues: signal.issues,
            speech_ms: signal.speechMs,
            expected_ms: signal.expectedMs,
            snr_db: signal.snrDb,
            clipped_percent: Math.round(recording.clipped * 1000) / 10,
          },
          expected_sounds: phonetic?.expected_sounds ?? [],
          heard_sounds: phonetic?.heard_sounds ?? [],
          problems: phonetic?.problems ?? [],
          feedback: verdict.feedback,
          audio: {
            mime_type: audio.mimeType,
            byte_length: bytes.length,
            duration_ms: recording.durationMs,
            codec: recording.source.codec,
            sample_rate: recording.source.sampleRate,
            channels: recording.source.channels,
          },
          tts: { lang: language.ttsLang, text: targetText },
          xp_earned: xp,
        },
      });
    },
  );

/**
 * Compares the recording with the word's model recordings: the stored audio
 * (read only when its features are not cached) or eSpeak NG's, plus two other
 * voices. `null` when there is no model (no stored audio, no voice) or the
 * synthesis failed: the transcript, if any, then scores alone.
 */
async function scoreAgainstModel(
  db: AppEnv["Variables"]["db"],
  samples: Float32Array,
  speech: ReturnType<typeof checkRecording>["speech"],
  word: {
    language: string;
    text: string;
    reading: string | null;
    romanization: string | null;
    audioId: string | null;
    syllables: string[];
  },
) {
  const { audioId } = word;
  const stored = audioId
    ? {
      id: audioId,
      load: async () => {
        // The file as stored, not audioStoreFor()'s render-on-request store: a
        // clip not rendered yet is synthesised below as features, which is
        // cheaper than rendering and storing its MP3 inside a check.
        const file = await databaseAudioStore(db).get(audioId);
        const info = file ? sniffAudio(file.data) : null;
        return file && info ? { bytes: file.data, info } : null;
      },
    }
    : null;
  const references = await referenceSet(word.language, word, stored).catch((error) => {
    console.error(
      JSON.stringify({
        level: "error",
        message: "pronunciation reference failed",
        error: String(error),
      }),
    );
    return null;
  });
  if (!references) return null;
  const result = compareUtterances(
    references.utterances,
    utteranceFeatures(samples, { span: speech, warps: WARPS }),
  );
  return {
    score: result.score,
    reference: references.source,
    syllableCosts: word.syllables.length ? syllableCosts(result.perReference, word.syllables) : [],
    peakAt: costPeak(result.perReference),
  };
}

/** The 404 for a word we do not know, with the closest known words. */
async function unknownWord(
  db: AppEnv["Variables"]["db"],
  key: string,
  languageId: string | undefined,
): Promise<ApiError> {
  const suggestions = suggestWords(key, await wordKeys(db, languageId));
  return new ApiError("NOT_FOUND", "Word not found", undefined, undefined, { suggestions });
}
