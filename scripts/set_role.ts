/**
 * Grants a role from the command line, for bootstrapping the first admin:
 *   deno task set-role <username or email> <learner|editor|admin>
 */
import { loadConfig } from "../config.ts";
import { findUserByLogin } from "../db/accounts.ts";
import { openDatabase } from "../db/client.ts";
import { setRole } from "../db/content_admin.ts";
import { migrateDatabase } from "../db/migrate.ts";
import { usernameKey } from "../domain/accounts.ts";

const [login, role] = Deno.args;
if (!login || !["learner", "editor", "admin"].includes(role)) {
  console.error("usage: deno task set-role <username or email> <learner|editor|admin>");
  Deno.exit(2);
}
const config = loadConfig(Deno.env.toObject());
const database = await openDatabase(config.DATABASE_URL, { authToken: config.DATABASE_AUTH_TOKEN });
await migrateDatabase(database.db);
const user = await findUserByLogin(database.db, usernameKey(login));
if (!user) {
  console.error(`no user ${login}`);
  Deno.exit(1);
}
const updated = await setRole(database.db, user.id, role as "learner" | "editor" | "admin");
console.log(`${updated!.username} is now ${updated!.role}`);
database.close();
