// The PostgreSQL schema is the SQLite one with another datasource and client output.
/** @param {string} source */
export function postgresSchemaFrom(source) {
  const out = source
    .replace(
      /generator client \{[^}]*\}/,
      `generator client {\n  provider   = "prisma-client-js"\n  engineType = "client"\n` +
        `  output     = "../../node_modules/.prisma/client-postgres"\n}`,
    )
    .replace(
      /datasource db \{[^}]*\}/,
      `datasource db {\n  provider = "postgresql"\n  url      = "postgresql://localhost:5432/aftercare"\n}`,
    );
  return `// GENERATED from prisma/schema.prisma by scripts/prisma-generate.mjs: edit the source.\n${out}`;
}
