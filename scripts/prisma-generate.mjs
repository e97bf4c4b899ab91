// Produces prisma/postgres/schema.prisma from the SQLite source and generates both clients:
// the SQLite one where @prisma/client expects it, the PostgreSQL one beside it. The app loads
// the one that matches DATABASE_URL (app/db.server.ts), so the client always fits the database.
// `--check` only verifies that the PostgreSQL schema is up to date (used by the tests).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { postgresSchemaFrom } from "./prisma-schema.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const sqliteSchema = join(root, "prisma/schema.prisma");
const postgresSchema = join(root, "prisma/postgres/schema.prisma");

const expected = postgresSchemaFrom(readFileSync(sqliteSchema, "utf8"));
if (process.argv.includes("--check")) {
  const actual = existsSync(postgresSchema) ? readFileSync(postgresSchema, "utf8") : "";
  if (actual !== expected) {
    console.error("prisma/postgres/schema.prisma is out of date: run `npm run db:schemas`.");
    process.exit(1);
  }
  process.exit(0);
}
mkdirSync(dirname(postgresSchema), { recursive: true });
writeFileSync(postgresSchema, expected);
if (process.argv.includes("--schemas-only")) process.exit(0);

const prisma = join(root, "node_modules/.bin/prisma");
for (const schema of [sqliteSchema, postgresSchema]) {
  execFileSync(prisma, ["generate", "--schema", schema], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
}
console.log("Prisma clients generated for SQLite and PostgreSQL.");
