/** Seeds the achievement definitions from `content/meta/achievements.json`. */
import { sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { AchievementsFile } from "../domain/achievements.ts";
import type { Db } from "./client.ts";
import { ContentFileError } from "./content_files.ts";
import { achievements } from "./schema.ts";

const FILE = new URL("../content/meta/achievements.json", import.meta.url);

/** Reads and validates the achievements file. */
export async function readAchievementsFile() {
  const result = AchievementsFile.safeParse(JSON.parse(await Deno.readTextFile(FILE)));
  if (!result.success) {
    throw new ContentFileError(
      "meta/achievements.json",
      result.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
    );
  }
  return result.data.achievements;
}

/** Upserts every definition in one batch; unchanged rows stay as they are. */
export async function seedAchievements(db: Db): Promise<string[]> {
  const defs = await readAchievementsFile();
  const statements = defs.map((d, position) =>
    db.insert(achievements).values({
      id: d.id,
      category: d.category,
      title: d.title,
      description: d.description,
      points: d.points,
      criteria: d.criteria,
      position,
    }).onConflictDoUpdate({
      target: achievements.id,
      set: {
        category: d.category,
        title: d.title,
        description: d.description,
        points: d.points,
        criteria: d.criteria,
        position,
      },
      setWhere: sql`${achievements.criteria} IS NOT ${JSON.stringify(d.criteria)}
        OR ${achievements.points} IS NOT ${d.points} OR ${achievements.title} IS NOT ${
        JSON.stringify(d.title)
      }
        OR ${achievements.description} IS NOT ${JSON.stringify(d.description)}
        OR ${achievements.category} IS NOT ${d.category} OR ${achievements.position} IS NOT ${position}`,
    }) as unknown as BatchItem<"sqlite">
  );
  const results = await db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const changed = results.some((r) => ((r as { rowsAffected?: number }).rowsAffected ?? 0) > 0);
  return changed ? ["achievements"] : [];
}
