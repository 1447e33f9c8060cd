/**
 * Check a pronunciation: vet and decode the recording, check its signal, score
 * it against the word's model recordings (and the browser's transcript, if
 * any), pay XP once a word a learner-local day, log the speaking activity and
 * award what it earned, in one atomic batch. The recording is never stored.
 */
import { databaseAudioStore } from "../db/audio_store.ts";
import { type Credit, PaidXp } from "../db/item_credits.ts";
import {
  lookupPronunciation,
  pronunciationAttemptStatements,
  wordKeys,
} from "../db/pronunciation_lookup.ts";
import type { languages } from "../db/schema.ts";
import type { Db } from "../db/client.ts";
import { answerKey } from "../domain/answer_matching.ts";
import {
  checkRecording,
  compareUtterances,
  costPeak,
  syllableCosts,
  utteranceFeatures,
  WARPS,
} from "../domain/acoustic_scoring.ts";
import { sniffAudio } from "../domain/audio_format.ts";
import { localDate } from "../domain/calendar.ts";
import {
  estimatedSyllables,
  GOOD_PRONUNCIATION,
  type Guide,
  judgePronunciation,
  scorePronunciation,
  suggestWords,
  syllables,
} from "../domain/pronunciation.ts";
import { pronunciationXp, repeatXp } from "../domain/xp.ts";
import { ApiError, badRequest, notFound } from "../http/errors.ts";
import { AudioDecodeError, decodeRecording } from "../platform/audio_decoding.ts";
import { referenceSet, storedReferenceCached } from "../platform/pronunciation_reference.ts";
import { awardPlan } from "./awards.ts";
import type { ActionDeps, Learner } from "./deps.ts";
import { runWriteBatch } from "./write_batch.ts";

/** Longest recording accepted for a check: one word or short phrase. */
export const CHECK_MAX_SECONDS = 15;
/** Largest recording accepted for a check (the global body limit also applies). */
export const CHECK_MAX_BYTES = 2 * 1024 * 1024;
/** Longest target outside the word list that gets synthesised models. */
const MAX_UNLISTED_TARGET_CHARS = 30;
/** Wall-clock budget for decoding a recording (a 15 s Opus file takes ~0.1 s). */
export const DECODE_BUDGET_MS = 1500;

/**
 * The stored file each target (language asked, word key) was last scored against.
 * While its features stay cached, a check of that target does not fetch it; when
 * they are not (a target checked for the first time, or evicted), the file comes
 * with the lookup, so scoring never reads it in a round trip of its own and a
 * check that also awards stays within 4 round trips.
 */
const lastClip = new Map<string, string>();
const LAST_CLIP_LIMIT = 5000;

function rememberClip(target: string, audioId: string) {
  lastClip.delete(target); // most recent last, so the oldest is evicted first
  if (lastClip.size >= LAST_CLIP_LIMIT) lastClip.delete(lastClip.keys().next().value!);
  lastClip.set(target, audioId);
}

export interface PronunciationAttempt {
  /** The learner's recording, as uploaded (any supported container and codec). */
  recording: Uint8Array;
  targetWord: string;
  /** The target language, by code or id; else every language is searched. */
  language?: string;
  /** What the browser's speech recognition heard, if it could. */
  transcript?: string | null;
}

type LanguageRow = typeof languages.$inferSelect;

/** A language as responses name it. */
export function languageRef(l: LanguageRow) {
  return { id: l.id, code: l.code, tts_lang: l.ttsLang };
}

/** The 404 for a word we do not know, with the closest known words. */
export async function unknownWord(
  db: Db,
  key: string,
  languageId: string | undefined,
): Promise<ApiError> {
  const suggestions = suggestWords(key, await wordKeys(db, languageId));
  return new ApiError("NOT_FOUND", "Word not found", undefined, undefined, { suggestions });
}

/** The recording's type and samples, or the 4xx that says what is wrong with it. */
async function vetRecording(bytes: Uint8Array) {
  if (bytes.length === 0) throw badRequest("The recording is empty");
  if (bytes.length > CHECK_MAX_BYTES) {
    throw new ApiError("PAYLOAD_TOO_LARGE", `Recordings are limited to ${CHECK_MAX_BYTES} bytes`);
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
  return { audio, recording };
}

export async function checkPronunciation(
  deps: ActionDeps,
  user: Learner,
  input: PronunciationAttempt,
) {
  const { db, clock, locale } = deps;
  const { audio, recording } = await vetRecording(input.recording);
  const key = answerKey(input.targetWord.normalize("NFC"));
  if (!key) {
    throw badRequest("Name a word to practise", [{ field: "target_word", message: "No letters" }]);
  }
  const now = clock.now();
  const today = localDate(now, user.timezone);
  // A word pays its XP once a learner-local day: replaying a good recording
  // (or the model clip itself) again and again earns nothing more.
  const credit = { userId: user.id, itemKey: `pronunciation:${key}`, localDate: today };
  const target = `${input.language?.toLowerCase() ?? ""}:${key}`;
  const scoredAgainst = lastClip.get(target);
  const found = await lookupPronunciation(db, key, input.language, {
    ...credit,
    withClip: !scoredAgainst || !storedReferenceCached(scoredAgainst),
  });
  if (input.language && !found.language) throw notFound(`Language ${input.language}`);
  const match = found.words[0];
  // A target outside the word list can still be scored with the named
  // language's rules; with no language either, there is nothing to go on.
  const language = match?.language ?? found.language?.language;
  if (!language) throw await unknownWord(db, key, undefined);
  const guide = (match?.guide ?? found.language?.guide ?? null) as Guide | null;
  const targetText = match?.word.word ?? input.targetWord;
  const wordSyllables = match?.word.ipa ? syllables(match.word.ipa).flat() : [];

  const signal = checkRecording(recording.samples, {
    clipped: recording.clipped,
    syllables: wordSyllables.length || estimatedSyllables(targetText, language.code),
    locale,
  });
  const phonetic = signal.scoreable && input.transcript?.trim()
    ? scorePronunciation({
      target: targetText,
      targetReading: match?.word.romanization ?? match?.word.reading ?? null,
      transcript: input.transcript,
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
      storedAudio: match?.storedAudio ?? null,
      clip: found.clip?.vocabularyId === match?.word.id ? found.clip?.data ?? null : null,
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
  if (match?.storedAudio) rememberClip(target, match.storedAudio);
  const value = pronunciationXp(verdict.score);
  const xp = repeatXp(value, found.paidToday);
  const credits: Credit[] = value ? [{ key: credit.itemKey, xp: value, localDate: today }] : [];
  const awards = awardPlan(deps, user);
  const written = await runWriteBatch(db, {
    attempt: pronunciationAttemptStatements(db, {
      activity: {
        userId: user.id,
        kind: "pronunciation",
        skill: "speaking",
        languageId: language.id,
        refId: match?.word.id ?? null,
        correct: verdict.score === null ? null : verdict.score >= GOOD_PRONUNCIATION ? 1 : 0,
        total: verdict.score === null ? null : 1,
        score: verdict.score,
        durationSeconds: Math.round(recording.durationMs / 1000),
        xp: credits.length ? new PaidXp(credits) : 0,
        occurredAt: now,
        localDate: today,
      },
      credits,
    }),
    awards: awards.statements,
  });
  return {
    target_word: targetText,
    vocabulary_id: match?.word.id ?? null,
    language: languageRef(language),
    ipa: match?.word.ipa ?? null,
    transcript: input.transcript?.trim() || null,
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
      byte_length: input.recording.length,
      duration_ms: recording.durationMs,
      codec: recording.source.codec,
      sample_rate: recording.source.sampleRate,
      channels: recording.source.channels,
    },
    tts: { lang: language.ttsLang, text: targetText },
    xp_earned: xp,
    ...await awards.finish(written.awards, now),
  };
}

/**
 * Compares the recording with the word's model recordings: the stored audio
 * (read only when its features are not cached) or eSpeak NG's, plus two other
 * voices. `null` when there is no model (no stored audio, no voice) or the
 * synthesis failed: the transcript, if any, then scores alone.
 */
async function scoreAgainstModel(
  db: Db,
  samples: Float32Array,
  speech: ReturnType<typeof checkRecording>["speech"],
  word: {
    language: string;
    text: string;
    reading: string | null;
    romanization: string | null;
    /** The word's audio file, if it is stored (see `lookupPronunciation`). */
    storedAudio: string | null;
    /** Its bytes, when they came with the lookup. */
    clip: Uint8Array | null;
    syllables: string[];
  },
) {
  const { storedAudio } = word;
  const stored = storedAudio
    ? {
      id: storedAudio,
      load: async () => {
        // The file as stored, not audioStoreFor()'s render-on-request store: a
        // clip not rendered yet is synthesised below as features, which is
        // cheaper than rendering and storing its MP3 inside a check.
        const data = word.clip ?? (await databaseAudioStore(db).get(storedAudio))?.data;
        const info = data ? sniffAudio(data) : null;
        return data && info ? { bytes: data, info } : null;
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
