import { defineConfig } from "drizzle-kit";

// drizzle-kit only generates SQL here; the app applies it with drizzle-orm's migrator.
export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
