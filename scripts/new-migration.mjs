// Writes the next migration for both databases: `npm run db:migration -- add_tracking_settings`.
// Prisma's own `migrate dev` needs a shadow database its JavaScript engine cannot set up here, so
// the change is computed from a snapshot of the schema as of the last migration
// (prisma/migrations/schema.snapshot.prisma) to the current schema, once per provider.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";

import { postgresSchemaFrom } from "./prisma-schema.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- <name_in_snake_case>");
  process.exit(1);
}
const root = process.cwd();
const snapshot = join(root, "prisma/migrations/schema.snapshot.prisma");
const current = join(root, "prisma/schema.prisma");
const prisma = join(root, "node_modules/.bin/prisma");

/** @param {string} from @param {string} to @param {string} databaseUrl */
function diff(from, to, databaseUrl) {
  return execFileSync(
    prisma,
    ["migrate", "diff", "--from-schema-datamodel", from, "--to-schema-datamodel", to, "--script"],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
}

const pgFrom = join(tmpdir(), "aftercare-snapshot-postgres.prisma");
const pgTo = join(tmpdir(), "aftercare-current-postgres.prisma");
writeFileSync(pgFrom, postgresSchemaFrom(readFileSync(snapshot, "utf8")));
writeFileSync(pgTo, postgresSchemaFrom(readFileSync(current, "utf8")));

const sqliteSql = diff(snapshot, current, "file:./dev.sqlite");
const postgresSql = diff(
  pgFrom,
  pgTo,
  process.env.MIGRATION_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test",
);
if (!/\b(CREATE|ALTER|DROP)\b/.test(sqliteSql)) {
  console.log("The schema has not changed since the last migration.");
  process.exit(0);
}
const next = String(readdirSync(join(root, "prisma/migrations")).filter((d) => /^\d{4}_/.test(d)).length + 1).padStart(
  4,
  "0",
);
for (const [dir, sql] of [
  ["prisma/migrations", sqliteSql],
  ["prisma/postgres/migrations", postgresSql],
]) {
  mkdirSync(join(root, dir, `${next}_${name}`), { recursive: true });
  writeFileSync(join(root, dir, `${next}_${name}`, "migration.sql"), sql);
}
copyFileSync(current, snapshot);
console.log(`Wrote ${next}_${name} for SQLite and PostgreSQL.`);
execFileSync("node", [join(root, "scripts/prisma-generate.mjs")], { cwd: root, stdio: "inherit" });
