import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL here; db/migrate.ts applies it (drizzle's files and table).
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
