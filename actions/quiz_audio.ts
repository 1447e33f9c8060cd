/**
 * The recording of a listening question, found by the opaque URL token its
 * question carries (a signature of learner, quiz and question, so the URL says
 * nothing about the word). With a byte range, only those bytes are read.
 */
import { listeningAudio } from "../db/quizzes.ts";
import { audioStoreFor } from "../db/speech_clips.ts";
import type { RangeSpec } from "../domain/audio_format.ts";
import { notFound } from "../http/errors.ts";
import { listeningAudioToken } from "../http/quiz_tokens.ts";
import type { ActionDeps, Learner } from "./deps.ts";

export interface QuizAudioRequest {
  quizId: string;
  token: string;
  range: RangeSpec | null;
}

export async function quizAudio(deps: ActionDeps, user: Learner, input: QuizAudioRequest) {
  const { quizId, token } = input;
  const candidates = await listeningAudio(deps.db, quizId);
  const match = candidates.find((q) =>
    q.audioId &&
    listeningAudioToken(deps.config.QUIZ_TOKEN_SECRET, {
        userId: user.id,
        quizId,
        questionId: q.questionId,
      }) === token
  );
  const found = match?.audioId
    ? await audioStoreFor(deps.db).get(match.audioId, input.range)
    : null;
  if (!found) throw notFound("Question audio");
  return found;
}
