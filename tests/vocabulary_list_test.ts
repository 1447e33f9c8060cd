import assert from "node:assert/strict";
import { enrolInCourse } from "../actions/enrol.ts";
import { practiseWord } from "../actions/practise_word.ts";
import { vocabularyList } from "../actions/vocabulary_list.ts";
import { ApiError } from "../http/errors.ts";
import { actionTest } from "./action_harness.ts";

actionTest(
  "vocabularyList: a learner's course sets language and level; memory shows for them only",
  async (_t, { deps, user }) => {
    await enrolInCourse(deps, user, { courseId: "es-a1" });
    const page = await vocabularyList(deps, user, { limit: 5, offset: 0 });
    assert.equal(page.meta.language_id, "es");
    assert.equal(page.meta.level, "A1");
    assert.equal(page.data.length, 5);
    assert.ok(page.data.every((w) => w.language_id === "es" && w.memory === null));

    const casa = await vocabularyList(deps, user, { search: "CASA", limit: 5, offset: 0 });
    assert.equal(casa.meta.level, null); // a search looks through every level
    const word = casa.data.find((w) => w.word === "casa");
    assert.ok(word);
    await practiseWord(deps, user, {
      vocabularyId: word.id,
      userAnswer: "house",
      direction: "to_native",
      responseTimeMs: 2000,
    });
    const after = await vocabularyList(deps, user, { search: "casa", limit: 5, offset: 0 });
    assert.equal(after.data.find((w) => w.id === word.id)?.memory?.review_count, 1);

    const visitor = await vocabularyList(deps, null, { language: "es", limit: 2, offset: 2 });
    assert.equal(visitor.data.length, 2);
    assert.ok(visitor.data.every((w) => w.memory === undefined));
    assert.equal(visitor.meta.offset, 2);
    assert.ok(visitor.meta.total > page.meta.total); // no level filter for a visitor
  },
);

actionTest("vocabularyList: an unknown language is a 404", async (_t, { deps }) => {
  await assert.rejects(
    () => vocabularyList(deps, null, { language: "xx", limit: 5, offset: 0 }),
    (e: unknown) => e instanceof ApiError && e.status === 404,
  );
});
