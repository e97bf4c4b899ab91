import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse, validate, type DocumentNode } from "graphql";
import { describe, expect, it } from "vitest";
import { adminSchema } from "../sandbox/engine/admin-graphql";
import { ADMIN_API_VERSION } from "../app/shopify/api-version";

/**
 * Every GraphQL document the app can send to Shopify, validated against Shopify's own Admin
 * schema for the app's API version. Documents are found by their `#graphql` tag anywhere in app/,
 * so a new one cannot slip past; a typo, a removed field or a wrong argument fails here.
 */
const root = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Every Operation exported by app/shopify/operations/*.ts, the one place documents live. */
async function appDocuments() {
  const dir = join(root, "app/shopify/operations");
  const found: Array<{ file: string; name: string; source: string }> = [];
  for (const file of readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith(".test.ts"))) {
    const module = (await import(join(dir, file))) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (value && typeof value === "object" && "document" in value && "name" in value) {
        const op = value as { name: string; document: string };
        found.push({ file: `app/shopify/operations/${file}`, name: op.name, source: op.document });
      }
    }
  }
  return found;
}

/** Documents written anywhere else would escape this test: there must be none. */
function strayDocuments(): string[] {
  return sourceFiles(join(root, "app"))
    .filter((file) => !file.includes(join("app", "shopify", "operations")))
    .filter((file) => /`#graphql/.test(readFileSync(file, "utf8")))
    .map((file) => relative(root, file));
}

const schemaErrors = (document: DocumentNode) => validate(adminSchema(), document).map((e) => e.message);

const documents = await appDocuments();

describe(`GraphQL documents against the ${ADMIN_API_VERSION} Admin schema`, () => {
  it("keeps every document in app/shopify/operations", () => {
    expect(strayDocuments()).toEqual([]);
  });

  it("finds the app's documents, each named in PascalCase and named once", () => {
    expect(documents.length).toBeGreaterThan(0);
    for (const d of documents) expect(d.name, d.file).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    const names = documents.map((d) => d.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  for (const d of documents) {
    it(`${d.name} (${d.file}) is valid`, () => {
      expect(schemaErrors(parse(d.source))).toEqual([]);
    });
  }

  it("would catch a typo in a field name", () => {
    const broken = parse("query ShopTypo { shop { nmae } }");
    expect(schemaErrors(broken).join(" ")).toMatch(/Cannot query field "nmae" on type "Shop"/);
  });
});
