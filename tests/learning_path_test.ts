import assert from "node:assert/strict";
import { type PathStep, pathSummary, suggestedCourse } from "../domain/learning_path.ts";

const course = (id: string, languageId: string, level: string, prerequisiteId: string | null) => ({
  id,
  languageId,
  level,
  prerequisiteId,
});
const COURSES = [
  course("es-a1", "es", "A1", null),
  course("es-a2", "es", "A2", "es-a1"),
  course("fr-a1", "fr", "A1", null),
  course("fr-a2", "fr", "A2", "fr-a1"),
];

Deno.test("suggestedCourse(): after a completed course, the one that requires it; none while unfinished", () => {
  const done = { courseId: "es-a1", completed: true };
  assert.equal(suggestedCourse(COURSES, done, null, null)?.id, "es-a2");
  assert.equal(suggestedCourse(COURSES, { ...done, completed: false }, null, "fr"), null);
  assert.equal(suggestedCourse(COURSES, { courseId: "es-a2", completed: true }, null, null), null);
});

Deno.test("suggestedCourse(): with no course, the placed course, else the first of the placed or target language", () => {
  assert.equal(
    suggestedCourse(COURSES, null, { languageId: "fr", level: "A2" }, "es")?.id,
    "fr-a2",
  );
  assert.equal(
    suggestedCourse(COURSES, null, { languageId: "fr", level: "C1" }, "es")?.id,
    "fr-a1",
  );
  assert.equal(
    suggestedCourse(COURSES, null, { languageId: "fr", level: null }, "es")?.id,
    "fr-a1",
  );
  assert.equal(suggestedCourse(COURSES, null, null, "es")?.id, "es-a1");
  assert.equal(suggestedCourse(COURSES, null, null, "de"), null);
  assert.equal(suggestedCourse(COURSES, null, null, null), null);
});

Deno.test("pathSummary() counts each action, zero included", () => {
  const step = (action: PathStep["action"]): PathStep => ({
    lesson_id: action,
    action,
    reason: "new_content",
    predicted_success: null,
  });
  assert.deepEqual(pathSummary([step("skip"), step("learn"), step("skip")]), {
    skip: 2,
    review: 0,
    learn: 1,
  });
  assert.deepEqual(pathSummary([]), { skip: 0, review: 0, learn: 0 });
});
