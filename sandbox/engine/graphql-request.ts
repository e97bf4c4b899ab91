// What the sandbox's Admin and Customer Account GraphQL endpoints share before resolving anything:
// loading a schema from Shopify's published introspection, and parsing and validating a request's
// document the way Shopify answers a bad one (PARSE_ERROR, GRAPHQL_VALIDATION_FAILED).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

import {
  buildClientSchema,
  getOperationAST,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";

export interface GraphqlRequestBody {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** Builds a schema from a gzipped introspection result in sandbox/schema/ (read once per process). */
export function schemaLoader(fileName: string): () => GraphQLSchema {
  let cached: GraphQLSchema | undefined;
  return () => {
    if (!cached) {
      const file = new URL(`../schema/${fileName}`, import.meta.url);
      const introspection = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8"));
      cached = buildClientSchema(introspection.data ?? introspection);
    }
    return cached;
  };
}

export type PreparedOperation =
  { document: DocumentNode; op: OperationDefinitionNode; errors?: undefined } | { errors: Record<string, unknown>[] };

/** Parses and validates the request's document and picks the operation to run. */
export function prepareOperation(schema: GraphQLSchema, body: GraphqlRequestBody): PreparedOperation {
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    const e = error as GraphQLError;
    return { errors: [{ message: e.message, locations: e.locations, extensions: { code: "PARSE_ERROR" } }] };
  }
  const invalid = validate(schema, document);
  if (invalid.length)
    return { errors: invalid.map((e) => ({ ...e.toJSON(), extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })) };
  const op = getOperationAST(document, body.operationName ?? undefined);
  if (!op) return { errors: [{ message: "An operation name is required when the document has several operations." }] };
  if (op.operation === "subscription") return { errors: [{ message: "Subscriptions are not supported." }] };
  return { document, op };
}
