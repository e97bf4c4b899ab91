import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  parse,
  typeFromAST,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import ts from "typescript";
import { describe, expect, it } from "vitest";

import { adminSchema } from "../sandbox/engine/admin-graphql";
import { CUSTOMER_API_VERSION, customerSchema } from "../sandbox/engine/customer-graphql";
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
  const found: { file: string; name: string; source: string; exported: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => /\.ts$/.test(f) && !f.endsWith(".test.ts"))) {
    const module = (await import(join(dir, file))) as Record<string, unknown>;
    for (const [exported, value] of Object.entries(module)) {
      if (value && typeof value === "object" && "document" in value && "name" in value) {
        const op = value as { name: string; document: string };
        found.push({ file: `app/shopify/operations/${file}`, name: op.name, source: op.document, exported });
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

/**
 * Deprecated fields, arguments, input object fields and enum values written in a document. Shopify
 * removes them in a later version; the app must have moved off them before that.
 */
export function deprecatedInDocument(schema: GraphQLSchema, document: DocumentNode): string[] {
  const found: string[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const def = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (def?.deprecationReason != null) found.push(`field ${parent?.name}.${def.name}: ${def.deprecationReason}`);
      },
      Argument() {
        const arg = typeInfo.getArgument();
        if (arg?.deprecationReason != null) found.push(`argument ${arg.name}: ${arg.deprecationReason}`);
      },
      ObjectField(node) {
        const parent = getNamedType(typeInfo.getParentInputType() ?? undefined);
        const field = isInputObjectType(parent) ? parent.getFields()[node.name.value] : undefined;
        if (field?.deprecationReason != null)
          found.push(`input field ${parent!.name}.${field.name}: ${field.deprecationReason}`);
      },
      EnumValue() {
        const value = typeInfo.getEnumValue();
        if (value?.deprecationReason != null) found.push(`enum value ${value.name}: ${value.deprecationReason}`);
      },
    }),
  );
  return found;
}

/**
 * What the app's code can put in a variable is what the operation's declared variable type lets
 * it write (the `__variables` phantom of `operation<TData, TVariables>`). This walks that
 * TypeScript type beside the variable's GraphQL input type and names every deprecated input field
 * the declared shape has. An untyped shape (an index signature) could set any field, so it counts
 * as setting every deprecated one below it.
 */
function deprecatedInVariables(
  schema: GraphQLSchema,
  checker: ts.TypeChecker,
  document: DocumentNode,
  declared: ts.Type,
): string[] {
  const found: string[] = [];
  // `null` stands for an untyped value: everything below it could be set.
  const walk = (tsType: ts.Type | null, gqlType: GraphQLInputType, path: string, depth: number) => {
    const inner = getNullableType(gqlType);
    if (depth > 12) return;
    if (isListType(inner)) {
      for (const t of tsType ? members(tsType) : [null]) {
        const element = t && checker.isArrayType(t) ? checker.getTypeArguments(t as ts.TypeReference)[0] : t;
        walk(element ?? null, inner.ofType, `${path}[]`, depth + 1);
      }
      return;
    }
    if (!isInputObjectType(inner)) return;
    for (const t of tsType ? members(tsType) : [null]) {
      const untyped =
        !t || checker.getIndexInfosOfType(t).length > 0 || Boolean(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown));
      for (const field of Object.values(inner.getFields())) {
        const prop = t?.getProperty(field.name);
        if (field.deprecationReason != null && (prop || untyped)) {
          found.push(`${path}.${field.name} (${inner.name}): ${field.deprecationReason}`);
        }
        if (prop) walk(checker.getTypeOfSymbol(prop), field.type, `${path}.${field.name}`, depth + 1);
        else if (untyped) walk(null, field.type, `${path}.${field.name}`, depth + 1);
      }
    }
  };
  const members = (t: ts.Type): ts.Type[] =>
    (t.isUnion() ? t.types : [t]).filter(
      (m) => !(m.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Never)),
    );
  const op = document.definitions.find((d) => d.kind === "OperationDefinition");
  for (const definition of op && "variableDefinitions" in op ? (op.variableDefinitions ?? []) : []) {
    const name = definition.variable.name.value;
    const gqlType = typeFromAST(schema, definition.type as never) as GraphQLInputType | undefined;
    const prop = members(declared)
      .map((t) => t.getProperty(name))
      .find(Boolean);
    if (gqlType && prop) walk(checker.getTypeOfSymbol(prop), gqlType, `$${name}`, 0);
  }
  return found;
}

/** The declared variable type of every exported operation, read by TypeScript from the sources. */
function declaredVariables(files: string[]) {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
  });
  const checker = program.getTypeChecker();
  const declared = new Map<string, ts.Type>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    for (const symbol of module ? checker.getExportsOfModule(module) : []) {
      const type = checker.getTypeOfSymbol(symbol);
      const phantom = type.getProperty("__variables");
      if (!phantom || !type.getProperty("document")) continue;
      declared.set(symbol.getName(), checker.getNonNullableType(checker.getTypeOfSymbol(phantom)));
    }
  }
  return { checker, declared };
}

const schemaErrors = (document: DocumentNode) => validate(adminSchema(), document).map((e) => e.message);

const documents = await appDocuments();
const exportName = (d: { exported: string }) => d.exported;

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

  describe("uses nothing Shopify has deprecated", () => {
    const operationFiles = [...new Set(documents.map((d) => join(root, d.file)))];
    const { checker, declared } = declaredVariables(operationFiles);

    for (const d of documents) {
      it(`${d.name}: no deprecated field, argument, input field or enum value in the document`, () => {
        expect(deprecatedInDocument(adminSchema(), parse(d.source))).toEqual([]);
      });
      it(`${d.name}: no deprecated input field in the variables the app declares`, () => {
        const variables = declared.get(exportName(d));
        expect(variables, `${d.name} declares its variables`).toBeDefined();
        expect(deprecatedInVariables(adminSchema(), checker, parse(d.source), variables!)).toEqual([]);
      });
    }

    it("would catch deprecated fields, arguments, input fields and enum values in a document", () => {
      const doc = parse(`query Old($id: ID!) {
        return(id: $id) { returnLineItems(first: 1) { nodes { ... on ReturnLineItem { returnReason } } } }
      }
      mutation OldInput($o: ID!, $f: ID!) {
        returnRequest(
          input: { orderId: $o, returnLineItems: [{ fulfillmentLineItemId: $f, quantity: 1, returnReason: COLOR }] }
        ) { userErrors { message } }
      }`);
      const found = deprecatedInDocument(adminSchema(), doc).join("\n");
      expect(found).toMatch(/field ReturnLineItem.returnReason/);
      expect(found).toMatch(/input field ReturnRequestLineItemInput.returnReason/);
    });

    it("would catch a deprecated input field in a declared variable shape", () => {
      const file = join(root, "tests/fixtures/deprecated-variables.ts");
      const probe = declaredVariables([file]);
      const op = parse(
        "mutation Probe($input: ReturnRequestInput!) { returnRequest(input: $input) { userErrors { message } } }",
      );
      const typed = deprecatedInVariables(adminSchema(), probe.checker, op, probe.declared.get("WithLegacyReason")!);
      expect(typed).toEqual([
        expect.stringMatching(/^\$input.returnLineItems\[\].returnReason \(ReturnRequestLineItemInput\)/),
      ]);
      const untyped = deprecatedInVariables(adminSchema(), probe.checker, op, probe.declared.get("Untyped")!);
      expect(untyped.join("\n")).toMatch(/returnReason/);
      expect(deprecatedInVariables(adminSchema(), probe.checker, op, probe.declared.get("WithDefinition")!)).toEqual(
        [],
      );
    });
  });

  it("would catch a typo in a field name", () => {
    const broken = parse("query ShopTypo { shop { nmae } }");
    expect(schemaErrors(broken).join(" ")).toMatch(/Cannot query field "nmae" on type "Shop"/);
  });
});

/**
 * Every Customer Account API document the customer-account extensions send, found by its
 * `#graphql` tag in their sources, validated against Shopify's customer schema for 2026-07 (the
 * version the extensions name), with nothing deprecated in it.
 */
describe("Customer Account API documents of the extensions", () => {
  const extensionsDir = join(root, "extensions");
  const sources = readdirSync(extensionsDir)
    .filter((name) => statSync(join(extensionsDir, name)).isDirectory() && name !== "aftercare")
    .flatMap((name) => sourceFiles(join(extensionsDir, name)).filter((file) => !file.includes(`${join("dist", "")}`)));
  const documents = sources.flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/`#graphql([^`]*)`/g)].map((m) => ({
      file: relative(root, file),
      source: m[1],
    })),
  );

  it("finds the documents the returns page sends", () => {
    expect(documents.map((d) => d.file)).toContain("extensions/aftercare-returns-page/src/documents.ts");
    expect(readFileSync(join(extensionsDir, "customer-account-shared/backend.ts"), "utf8")).toMatch(
      /CUSTOMER_ACCOUNT_API_VERSION = "2026-07"/,
    );
  });

  it("are what every call to the Customer Account API sends, and that API is the only Shopify URL fetched", () => {
    const tagged = new Set(
      sources.flatMap((file) =>
        [...readFileSync(file, "utf8").matchAll(/export const (\w+) = `#graphql/g)].map((m) => m[1]),
      ),
    );
    const calls = sources.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/(?<!function )customerAccountApi(?:<[^>]*>)?\(\s*([^,)]+)/g)].map(
        (m) => ({
          file: relative(root, file),
          document: m[1].trim(),
        }),
      ),
    );
    expect(calls.map((c) => c.file)).toContain("extensions/aftercare-returns-page/src/ReturnsPage.tsx");
    // A document written in place (a string, a template) would escape the validation below.
    for (const call of calls) expect({ ...call, tagged: tagged.has(call.document) }).toEqual({ ...call, tagged: true });
    const urls = sources.flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/shopify:\/\/[^"'`\s]*/g)].map((m) => m[0]),
    );
    expect([...new Set(urls)]).toEqual([`shopify://customer-account/api/${CUSTOMER_API_VERSION}/graphql.json`]);
  });

  for (const d of documents) {
    const name = /(?:query|mutation)\s+(\w+)/.exec(d.source)?.[1] ?? "anonymous";
    it(`${name} (${d.file}) is valid and uses nothing deprecated`, () => {
      const document = parse(d.source);
      expect(validate(customerSchema(), document).map((e) => e.message)).toEqual([]);
      expect(deprecatedInDocument(customerSchema(), document)).toEqual([]);
    });
  }

  it("would catch a wrong argument and a deprecated input field", () => {
    const broken = parse(`mutation Old($o: ID!, $l: ID!) {
      orderRequestReturn(orderId: $o, requestedLineItems: [{ lineItemId: $l, quantity: 1, returnReason: COLOR }]) {
        userErrors { messag }
      }
    }`);
    expect(
      validate(customerSchema(), broken)
        .map((e) => e.message)
        .join(" "),
    ).toMatch(/messag/);
    expect(deprecatedInDocument(customerSchema(), broken).join(" ")).toMatch(/RequestedLineItemInput.returnReason/);
  });
});
