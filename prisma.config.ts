import path from "node:path";

import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

// The Prisma CLI runs here with its JavaScript engine and a driver adapter, so no engine binary
// is downloaded. DATABASE_URL picks the database and with it the schema and migrations folder.
const url = process.env.DATABASE_URL ?? "file:./dev.sqlite";
const isSqlite = url.startsWith("file:");

function sqliteFile(u: string) {
  const p = u.replace(/^file:/, "");
  return path.isAbsolute(p) || p === ":memory:" ? p : path.resolve(process.cwd(), p);
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: isSqlite ? "prisma/schema.prisma" : "prisma/postgres/schema.prisma",
  async adapter() {
    return isSqlite ? new PrismaBetterSQLite3({ url: sqliteFile(url) }) : new PrismaPg({ connectionString: url });
  },
});
