import assert from "node:assert/strict";
import {
  ABILITY_RATE,
  eapEstimate,
  initialDifficulty,
  itemInformation,
  learningRate,
  levelForAbility,
  mleEstimate,
  probabilityCorrect,
  updateAfterAnswer,
} from "../domain/ability_model.ts";
import { selectByTargetSuccess, targetSuccessRate } from "../domain/adaptive_selection.ts";
import { nextActivity, personalisedPath } from "../domain/learning_path.ts";
import {
  advancePlacement,
  type BankItem,
  nextItem,
  placedLesson,
  placedLevel,
  placementCovers,
  type StoredResponse,
} from "../domain/placement.ts";
import { seededRandom } from "../domain/random.ts";

Deno.test("updateAfterAnswer() raises ability more after a right answer on a hard item than on an easy one", () => {
  const learner = { theta: 0, evidence: 10 };
  const hard = updateAfterAnswer(learner, { difficulty: 1.5, answers: 50 }, 1);
  const easy = updateAfterAnswer(learner, { difficulty: -1.5, answers: 50 }, 1);
  assert.ok(hard.thetaDelta > 0 && easy.thetaDelta > 0);
  assert.ok(hard.thetaDelta > easy.thetaDelta);
  // ... and lowers it more after a wrong answer on an easy item than on a hard one.
  const wrongEasy = updateAfterAnswer(learner, { difficulty: -1.5, answers: 50 }, 0);
  const wrongHard = updateAfterAnswer(learner, { difficulty: 1.5, answers: 50 }, 0);
  assert.ok(wrongEasy.thetaDelta < wrongHard.thetaDelta && wrongHard.thetaDelta < 0);
  // The item moves the other way: a right answer makes it look easier.
  assert.ok(hard.difficultyDelta < 0);
});

Deno.test("learningRate() shrinks as evidence grows, down to its floor", () => {
  const rates = [0, 1, 5, 20, 100, 10_000].map((n) => learningRate(n, ABILITY_RATE));
  for (let i = 1; i < rates.length; i++) assert.ok(rates[i] <= rates[i - 1]);
  assert.equal(rates[0], 1);
  assert.equal(rates[2], 0.5);
  assert.equal(rates[rates.length - 1], ABILITY_RATE.floor);
  const early = updateAfterAnswer({ theta: 0, evidence: 0 }, { difficulty: 0, answers: 0 }, 1);
  const late = updateAfterAnswer({ theta: 0, evidence: 200 }, { difficulty: 0, answers: 0 }, 1);
  assert.ok(early.thetaDelta > late.thetaDelta);
});

Deno.test("probabilityCorrect() is monotone in ability and in difficulty, and information peaks at p = 0.5", () => {
  let last = 0;
  for (let theta = -6; theta <= 6; theta += 0.25) {
    const p = probabilityCorrect(theta, 0);
    assert.ok(p > last);
    last = p;
  }
  assert.ok(probabilityCorrect(0, -1) > probabilityCorrect(0, 1));
  assert.equal(probabilityCorrect(0.7, 0.7), 0.5);
  assert.equal(itemInformation(0, 0), 0.25);
  assert.ok(itemInformation(0, 2) < 0.25);
  assert.ok(Number.isFinite(probabilityCorrect(-1e6, 1e6)));
});

Deno.test("initialDifficulty() follows the CEFR level, then frequency, length and type", () => {
  assert.equal(initialDifficulty({ level: "A1" }), -1.5);
  assert.equal(initialDifficulty({ level: "A2" }), -0.5);
  assert.ok(initialDifficulty({ level: "A1", frequencyRank: 50 }) < -1.5);
  assert.ok(initialDifficulty({ level: "A1", frequencyRank: 9000 }) > -1.5);
  assert.ok(
    initialDifficulty({ level: "A2", length: 14 }) > initialDifficulty({ level: "A2", length: 4 }),
  );
  assert.ok(
    initialDifficulty({ level: "A2", type: "multiple_choice" }) <
      initialDifficulty({ level: "A2", type: "conjugation" }),
  );
  assert.equal(levelForAbility(-3), "A1");
  assert.equal(levelForAbility(-0.5), "A2");
  assert.equal(levelForAbility(0.2), "B1");
});

Deno.test("eapEstimate() and mleEstimate() agree on a mixed pattern and the SE shrinks with answers", () => {
  const responses = [-2, -1, -0.5, 0, 0.5, 1, 1.5, 2].map((b, i) => ({
    difficulty: b,
    correct: i % 2 === 0 || b < 0,
  }));
  const eap = eapEstimate(responses, { mean: 0, sd: 10 });
  const mle = mleEstimate(responses)!;
  assert.ok(Math.abs(eap.theta - mle.theta) < 0.15, `${eap.theta} vs ${mle.theta}`);
  assert.equal(mleEstimate([{ difficulty: 0, correct: true }]), null);
  const few = eapEstimate(responses.slice(0, 3));
  const many = eapEstimate([...responses, ...responses, ...responses]);
  assert.ok(many.standardError < few.standardError);
});

function syntheticBank(n: number): BankItem[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `item-${i}`,
    kind: "grammar_exercise" as const,
    level: "A1",
    difficulty: -3 + (6 * i) / (n - 1),
    group: `topic-${i % 5}`,
  }));
}

Deno.test("the CAT picks the most informative item, never repeats, avoids the same topic twice and stops", () => {
  const bank = syntheticBank(60);
  const first = nextItem(bank, 0, { asked: new Set(), lastGroup: null, random: () => 0 })!;
  assert.ok(Math.abs(first.difficulty) < 0.2, "among the items nearest the estimate");
  const random = seededRandom(7);
  const truth = 0.8;
  const responses: StoredResponse[] = [];
  let step = advancePlacement(responses, bank, { levels: ["A1", "A2", "B1", "B2"], random });
  while (step.next) {
    const item = step.next;
    assert.ok(!responses.some((r) => r.item_id === item.id));
    assert.notEqual(item.group, responses[responses.length - 1]?.group);
    responses.push({
      item_id: item.id,
      group: item.group,
      difficulty: item.difficulty,
      correct: random() < probabilityCorrect(truth, item.difficulty),
    });
    step = advancePlacement(responses, bank, { levels: ["A1", "A2", "B1", "B2"], random });
  }
  assert.ok(step.stop !== null);
  assert.ok(responses.length >= 6 && responses.length <= 20, `${responses.length} items`);
});

Deno.test("the CAT stops early once the level cannot change, and at the maximum otherwise", () => {
  const bank = syntheticBank(80);
  // Only A1 and A2 on offer: a learner who gets everything right is A2 as soon as
  // the estimate's lower bound clears A2's lower edge.
  const responses: StoredResponse[] = [];
  let step = advancePlacement(responses, bank, { levels: ["A1", "A2"], random: () => 0.5 });
  while (step.next) {
    responses.push({
      item_id: step.next.id,
      group: step.next.group,
      difficulty: step.next.difficulty,
      correct: true,
    });
    step = advancePlacement(responses, bank, { levels: ["A1", "A2"], random: () => 0.5 });
  }
  assert.equal(step.stop, "level_decided");
  assert.ok(responses.length < 20);
  assert.equal(placedLevel(step.estimate.theta, ["A1", "A2"]), "A2");
});

Deno.test("placedLesson() is the first lesson not predicted known; placementCovers() compares levels", () => {
  const lessons = [
    { id: "l1", difficulties: [-3, -2.8] },
    { id: "l2", difficulties: [-1, -0.8] },
    { id: "l3", difficulties: [0.5] },
  ];
  assert.equal(placedLesson(-4, lessons), "l1");
  assert.equal(placedLesson(0, lessons), "l2");
  assert.equal(placedLesson(5, lessons), "l3");
  assert.equal(placementCovers("A2", "A2"), true);
  assert.equal(placementCovers("A1", "A2"), false);
  assert.equal(placementCovers(null, "A1"), false);
});

Deno.test("personalisedPath() skips placed-out lessons and what ability shows is known", () => {
  const lesson = (id: string, position: number, difficulties: number[]) => ({
    id,
    position,
    difficulties,
    ability: null,
    completed: false,
    bestScore: null,
  });
  const lessons = [lesson("a", 1, [-2]), lesson("b", 2, [-1]), lesson("c", 3, [0])];
  const placed = personalisedPath(lessons, { beyond: false, atLessonPosition: 3 });
  assert.deepEqual(placed.map((s) => s.action), ["skip", "skip", "learn"]);
  assert.equal(placed[0].reason, "placed_beyond");
  const beyond = personalisedPath(lessons, { beyond: true, atLessonPosition: null });
  assert.ok(beyond.every((s) => s.action === "skip"));

  const able = lessons.map((l) => ({ ...l, ability: { theta: 0.5, evidence: 30 } }));
  assert.deepEqual(personalisedPath(able, null).map((s) => s.reason), [
    "ability_exceeds_content",
    "ability_exceeds_content",
    "new_content",
  ]);
  // Too little evidence: ability alone never skips.
  const unsure = lessons.map((l) => ({ ...l, ability: { theta: 3, evidence: 2 } }));
  assert.ok(personalisedPath(unsure, null).every((s) => s.action === "learn"));
  const attempted = [{ ...lessons[0], bestScore: 50 }, { ...lessons[1], completed: true }];
  assert.deepEqual(personalisedPath(attempted, null).map((s) => s.action), ["review", "skip"]);
});

Deno.test("selectByTargetSuccess() steps back items answered right lately, unless nothing else fits", () => {
  // Two items at the target, one fresh item 10 points off it, one 40 points off.
  const items = [
    { id: "at-a", difficulty: -Math.log(0.8 / 0.2) },
    { id: "at-b", difficulty: -Math.log(0.8 / 0.2) },
    { id: "near", difficulty: -Math.log(0.7 / 0.3) },
    { id: "far", difficulty: -Math.log(0.4 / 0.6) },
  ];
  const pick = (size: number, recent?: Set<string>) =>
    selectByTargetSuccess(items, 0, { target: 0.8, size, random: () => 0.5, recent })
      .map((s) => s.item.id).sort();
  assert.deepEqual(pick(2), ["at-a", "at-b"]);
  // Answered right lately: a fresh item within 20 points of the target comes first ...
  assert.deepEqual(pick(2, new Set(["at-a"])), ["at-b", "near"]);
  // ... but not one 40 points off, and a small bank still fills its set.
  assert.deepEqual(pick(3, new Set(["at-a", "at-b"])), ["at-a", "at-b", "near"]);
  assert.equal(pick(4, new Set(["at-a", "at-b", "near", "far"])).length, 4);
});

Deno.test("selectByTargetSuccess() picks items nearest the target and caps each group", () => {
  const items = Array.from({ length: 40 }, (_, i) => ({
    id: `i${i}`,
    difficulty: -4 + i * 0.2,
    group: `g${i % 4}`,
  }));
  const picked = selectByTargetSuccess(items, 0, {
    target: 0.8,
    size: 6,
    random: seededRandom(1),
    perGroup: 2,
  });
  assert.equal(picked.length, 6);
  for (const p of picked) assert.ok(Math.abs(p.predicted - 0.8) < 0.12, String(p.predicted));
  const groups = new Map<string, number>();
  for (const p of picked) groups.set(p.item.group, (groups.get(p.item.group) ?? 0) + 1);
  assert.ok([...groups.values()].every((n) => n <= 2));
  assert.equal(targetSuccessRate(undefined), 0.8);
  assert.equal(targetSuccessRate(0.99), 0.95);
});

Deno.test("nextActivity() puts reviews at risk first, then the lesson, weak grammar, a new course", () => {
  const base = {
    dueRetrievabilities: [],
    currentCourse: null,
    weakTopics: [],
    suggestedCourse: null,
    placed: false,
  };
  assert.equal(nextActivity(base).reason, "no_course");
  const course = { id: "c", title: "Course", nextLesson: { id: "l", title: "Lesson" } };
  const weak = [{ id: "t", title: "Topic", errors: 3 }];
  assert.equal(
    nextActivity({ ...base, dueRetrievabilities: [0.5, 0.95], currentCourse: course }).reason,
    "reviews_at_risk",
  );
  assert.equal(
    nextActivity({ ...base, dueRetrievabilities: [0.9], currentCourse: course, weakTopics: weak })
      .reason,
    "continue_lesson",
  );
  assert.equal(
    nextActivity({ ...base, currentCourse: { ...course, nextLesson: null }, weakTopics: weak })
      .reason,
    "weak_grammar_topic",
  );
  assert.equal(
    nextActivity({
      ...base,
      currentCourse: { ...course, nextLesson: null },
      suggestedCourse: { id: "c2", title: "Next", enrolled: false },
    }).reason,
    "start_next_course",
  );
});
