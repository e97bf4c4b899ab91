/**
 * Bulk query operations as Shopify runs them (bulkOperationRunQuery): the query is checked against
 * the schema and Shopify's bulk rules before anything runs; one bulk query runs at a time per shop
 * and app; it runs in the background, page by page over the root connection, counting objects as it
 * goes; the result is a JSONL file with one object per line in which every node of a nested
 * connection is a line of its own carrying `__parentId` (the id of the node it belongs to), written
 * right after its parent; when it ends, the shop's bulk_operations/finish webhook is sent.
 *
 * The sandbox writes the file to a temporary folder and serves it at `<origin>/bulk-results/<token>`
 * (the sandbox server) or in-process (fetchResult). Not implemented, and answered with an error:
 * grouped output (groupObjects: true), bulk mutations, partial data.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  parse,
  print,
  validate,
} from "graphql";

import type { Shop } from "./state";

export type BulkOperationStatus = "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED";

export interface BulkOperation {
  id: number;
  shop: string;
  query: string;
  type: "QUERY";
  status: BulkOperationStatus;
  errorCode: "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT" | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  /** Where the result lies on disk, and the token in its URL. */
  file: string | null;
  token: string;
}

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: "INVALID" | "LIMIT_REACHED" | "OPERATION_IN_PROGRESS";
}

/** Runs one page of the root connection; the engine's executor (admin-graphql.ts) is handed in. */
export type BulkPageExecutor = (
  shop: Shop,
  document: DocumentNode,
) => { data?: unknown; errors?: ReadonlyArray<unknown> };

export interface BulkDeps {
  schema: () => GraphQLSchema;
  executePage: BulkPageExecutor;
  nextId: () => number;
  stamp: () => string;
  /** Sends the bulk_operations/finish webhook (only to shops where the app is installed). */
  emitFinish: (shop: Shop, payload: unknown) => void;
  /** Root objects fetched per page (Shopify's own page size is its business; 250 keeps memory small). */
  pageSize?: number;
}

const MAX_CONNECTIONS = 5;
const MAX_CONNECTION_DEPTH = 2;

interface Plan {
  document: DocumentNode;
  rootField: FieldNode;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

function fieldsIn(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  out: FieldNode[] = [],
): FieldNode[] {
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) fieldsIn(sel.selectionSet, fragments, out);
    else if (fragments[sel.name.value]) fieldsIn(fragments[sel.name.value].selectionSet, fragments, out);
  }
  return out;
}

function fieldType(schema: GraphQLSchema, parent: GraphQLCompositeType, name: string): GraphQLOutputType | null {
  const types = "getFields" in parent ? [parent] : schema.getPossibleTypes(parent);
  for (const t of types) {
    const f = t.getFields()[name];
    if (f) return f.type;
  }
  return null;
}

const isConnection = (type: GraphQLOutputType) => getNamedType(type).name.endsWith("Connection");

/** The node selection of a connection field: `edges { node { … } }` and/or `nodes { … }`. */
function nodeSelections(field: FieldNode, fragments: Record<string, FragmentDefinitionNode>): SelectionSetNode[] {
  const out: SelectionSetNode[] = [];
  for (const f of fieldsIn(field.selectionSet!, fragments)) {
    if (f.name.value === "nodes" && f.selectionSet) out.push(f.selectionSet);
    if (f.name.value === "edges" && f.selectionSet) {
      for (const e of fieldsIn(f.selectionSet, fragments)) {
        if (e.name.value === "node" && e.selectionSet) out.push(e.selectionSet);
      }
    }
  }
  return out;
}

/**
 * Shopify's bulk query rules, with its wording where known: a single query operation with one
 * top-level connection field (not node or nodes), at most five connections, nested at most two
 * deep, never inside a list field, and every node that has a nested connection selects `id`.
 */
export function checkBulkQuery(schema: GraphQLSchema, query: string): { plan?: Plan; errors: string[] } {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { errors: [`Invalid bulk query: ${(error as GraphQLError).message}`] };
  }
  const invalid = validate(schema, document);
  if (invalid.length) return { errors: invalid.map((e) => `Invalid bulk query: ${e.message}`) };
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return { errors: ["Bulk queries must contain exactly one operation."] };
  const op = operations[0];
  if (op.operation !== "query")
    return { errors: ["Bulk queries must be a query operation; use bulkOperationRunMutation."] };
  if (op.variableDefinitions?.length) return { errors: ["Bulk queries cannot use variables."] };
  const fragments = fragmentsOf(document);
  const top = fieldsIn(op.selectionSet, fragments);
  if (top.length !== 1) return { errors: ["Bulk queries must have exactly one top-level field."] };
  const rootField = top[0];
  if (rootField.name.value === "node" || rootField.name.value === "nodes") {
    return { errors: ["The top-level `node` and `nodes` fields can't be used in bulk queries."] };
  }
  const rootType = fieldType(schema, schema.getQueryType()!, rootField.name.value);
  if (!rootType || !isConnection(rootType)) {
    return { errors: ["Bulk queries must contain at least one connection, as the top-level field."] };
  }
  const errors: string[] = [];
  let connections = 0;
  const walk = (sel: SelectionSetNode, type: GraphQLCompositeType, depth: number, inList: boolean) => {
    for (const field of fieldsIn(sel, fragments)) {
      if (field.name.value.startsWith("__")) continue;
      const t = fieldType(schema, type, field.name.value);
      if (!t || !field.selectionSet) continue;
      const named = getNamedType(t);
      if (!isCompositeType(named)) continue;
      if (isConnection(t)) {
        connections += 1;
        if (inList) {
          errors.push(
            "Queries that contain a connection field within a list field are not currently supported: " +
              `${field.name.value}.`,
          );
        }
        if (depth + 1 > MAX_CONNECTION_DEPTH) {
          errors.push(
            `Bulk queries cannot contain connections with a nesting depth greater than ${MAX_CONNECTION_DEPTH}.`,
          );
        }
        const nodeType = getNamedType(fieldType(schema, named, "nodes") ?? fieldType(schema, named, "edges")!);
        const nodeComposite = (
          nodeType.name.endsWith("Edge")
            ? getNamedType(fieldType(schema, nodeType as GraphQLCompositeType, "node")!)
            : nodeType
        ) as GraphQLCompositeType;
        for (const nodeSel of nodeSelections(field, fragments)) walk(nodeSel, nodeComposite, depth + 1, false);
        continue;
      }
      const list = isListType(getNullableType(t));
      walk(field.selectionSet, named, depth, inList || list);
      // A nested connection's parent must carry its id, or children could not say whose they are.
      if (
        !list &&
        hasNestedConnection(schema, field.selectionSet, named, fragments) &&
        !selectsId(field.selectionSet)
      ) {
        errors.push(`The parent '${field.name.value}' of a nested connection must select the 'id' field.`);
      }
    }
    if (depth >= 1 && hasNestedConnection(schema, sel, type, fragments) && !selectsId(sel)) {
      errors.push(
        "The parent 'node' field for a nested connection must select the 'id' field without an alias " +
          "and must be of 'ID' return type.",
      );
    }
  };
  const nodeOfRoot = getNamedType(
    fieldType(schema, getNamedType(rootType) as GraphQLCompositeType, "nodes") ??
      fieldType(
        schema,
        getNamedType(
          fieldType(schema, getNamedType(rootType) as GraphQLCompositeType, "edges")!,
        ) as GraphQLCompositeType,
        "node",
      )!,
  ) as GraphQLCompositeType;
  connections += 1;
  for (const nodeSel of nodeSelections(rootField, fragments)) walk(nodeSel, nodeOfRoot, 1, false);
  if (connections > MAX_CONNECTIONS) {
    errors.push(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`);
  }
  return errors.length ? { errors: [...new Set(errors)] } : { plan: { document, rootField }, errors: [] };

  function selectsId(sel: SelectionSetNode) {
    return sel.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "id" && !s.alias);
  }
}

function hasNestedConnection(
  schema: GraphQLSchema,
  sel: SelectionSetNode,
  type: GraphQLCompositeType,
  fragments: Record<string, FragmentDefinitionNode>,
): boolean {
  return fieldsIn(sel, fragments).some((f) => {
    const t = fieldType(schema, type, f.name.value);
    return Boolean(t && f.selectionSet && isConnection(t));
  });
}

/** The document with the root connection's page arguments replaced (first/after). */
function pageDocument(plan: Plan, first: number, after: string | null): DocumentNode {
  const args = (plan.rootField.arguments ?? []).filter(
    (a) => !["first", "last", "after", "before"].includes(a.name.value),
  );
  args.push({
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: "first" },
    value: { kind: Kind.INT, value: String(first) },
  });
  if (after) {
    args.push({
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: "after" },
      value: { kind: Kind.STRING, value: after },
    });
  }
  // pageInfo is needed to page on; the result lines never carry it.
  const withPageInfo = parse(`{ x { pageInfo { hasNextPage endCursor } } }`);
  const pageInfo = (withPageInfo.definitions[0] as { selectionSet: SelectionSetNode }).selectionSet
    .selections[0] as FieldNode;
  const rootField: FieldNode = {
    ...plan.rootField,
    alias: undefined,
    arguments: args,
    selectionSet: {
      ...plan.rootField.selectionSet!,
      selections: [...plan.rootField.selectionSet!.selections, ...pageInfo.selectionSet!.selections],
    },
  };
  return parse(
    print({
      ...plan.document,
      definitions: plan.document.definitions.map((d) =>
        d.kind === Kind.OPERATION_DEFINITION
          ? { ...d, selectionSet: { ...d.selectionSet, selections: [rootField] } }
          : d,
      ),
    }),
  );
}

/* eslint-disable @typescript-eslint/no-explicit-any -- result values are untyped JSON */

/** Writes a node and, after it, each node of its nested connections as a line with __parentId. */
function writeNode(
  out: (line: string) => void,
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  value: any,
  type: GraphQLCompositeType,
  sel: SelectionSetNode,
  parentId: string | null,
): number {
  const own: Record<string, unknown> = {};
  const children: { items: any[]; type: GraphQLCompositeType; sel: SelectionSetNode }[] = [];
  for (const field of fieldsIn(sel, fragments)) {
    const key = field.alias?.value ?? field.name.value;
    if (!(key in value)) continue;
    const t = field.name.value === "__typename" ? null : fieldType(schema, type, field.name.value);
    if (t && field.selectionSet && isConnection(t)) {
      const conn = value[key] ?? {};
      const named = getNamedType(t) as GraphQLCompositeType;
      for (const f of fieldsIn(field.selectionSet, fragments)) {
        if (f.name.value === "nodes" && f.selectionSet) {
          const nodeType = getNamedType(fieldType(schema, named, "nodes")!) as GraphQLCompositeType;
          children.push({ items: conn[f.alias?.value ?? "nodes"] ?? [], type: nodeType, sel: f.selectionSet });
        }
        if (f.name.value === "edges" && f.selectionSet) {
          const edgeType = getNamedType(fieldType(schema, named, "edges")!) as GraphQLCompositeType;
          const nodeType = getNamedType(fieldType(schema, edgeType, "node")!) as GraphQLCompositeType;
          for (const e of fieldsIn(f.selectionSet, fragments)) {
            if (e.name.value !== "node" || !e.selectionSet) continue;
            const edges: any[] = conn[f.alias?.value ?? "edges"] ?? [];
            children.push({
              items: edges.map((edge) => edge[e.alias?.value ?? "node"]),
              type: nodeType,
              sel: e.selectionSet,
            });
          }
        }
      }
      continue;
    }
    own[key] = value[key];
  }
  if (parentId) own.__parentId = parentId;
  out(JSON.stringify(own));
  let count = 1;
  for (const child of children) {
    for (const item of child.items) {
      if (item) count += writeNode(out, schema, fragments, item, child.type, child.sel, (value.id as string) ?? null);
    }
  }
  return count;
}

export class BulkOperations {
  private readonly operations: BulkOperation[] = [];
  private readonly running = new Map<number, Promise<void>>();
  private readonly dir = join(tmpdir(), `aftercare-sandbox-bulk-${process.pid}-${randomBytes(3).toString("hex")}`);
  private origin = "https://sandbox-bulk.invalid";

  constructor(private readonly deps: BulkDeps) {}

  /** Where result URLs point (the sandbox server sets its own origin). */
  setOrigin(origin: string) {
    this.origin = origin.replace(/\/$/, "");
  }

  find(shop: Shop, id: number): BulkOperation | undefined {
    return this.operations.find((o) => o.id === id && o.shop === shop.domain);
  }

  /** The shop's most recent bulk query. */
  current(shop: Shop): BulkOperation | undefined {
    return this.operations.filter((o) => o.shop === shop.domain).at(-1);
  }

  list(shop: Shop): BulkOperation[] {
    return this.operations.filter((o) => o.shop === shop.domain);
  }

  url(op: BulkOperation): string | null {
    return op.status === "COMPLETED" && op.file ? `${this.origin}/bulk-results/${op.token}.jsonl` : null;
  }

  runQuery(
    shop: Shop,
    query: string,
    groupObjects: boolean,
  ): { operation: BulkOperation | null; userErrors: BulkUserError[] } {
    if (groupObjects) {
      throw new GraphQLError("Sandbox does not implement bulkOperationRunQuery(groupObjects: true)", {
        extensions: { code: "SANDBOX_NOT_IMPLEMENTED" },
      });
    }
    const busy = this.list(shop).find((o) => ["CREATED", "RUNNING", "CANCELING"].includes(o.status));
    if (busy) {
      return {
        operation: null,
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${gidOf(busy)}.`,
            code: "OPERATION_IN_PROGRESS",
          },
        ],
      };
    }
    const { plan, errors } = checkBulkQuery(this.deps.schema(), query);
    if (!plan)
      return { operation: null, userErrors: errors.map((message) => ({ field: ["query"], message, code: "INVALID" })) };
    const op: BulkOperation = {
      id: this.deps.nextId(),
      shop: shop.domain,
      query,
      type: "QUERY",
      status: "CREATED",
      errorCode: null,
      createdAt: this.deps.stamp(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      file: null,
      token: randomBytes(16).toString("hex"),
    };
    this.operations.push(op);
    const run = this.run(shop, op, plan).finally(() => this.running.delete(op.id));
    this.running.set(op.id, run);
    return { operation: op, userErrors: [] };
  }

  cancel(shop: Shop, id: number): { operation: BulkOperation | null; userErrors: BulkUserError[] } {
    const op = this.find(shop, id);
    if (!op)
      return {
        operation: null,
        userErrors: [{ field: ["id"], message: "Bulk operation does not exist", code: "INVALID" }],
      };
    if (op.status !== "CREATED" && op.status !== "RUNNING") {
      return {
        operation: op,
        userErrors: [
          {
            field: null,
            message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}`,
            code: "INVALID",
          },
        ],
      };
    }
    op.status = "CANCELING";
    return { operation: op, userErrors: [] };
  }

  /** Resolves when every bulk operation started so far has ended (tests, the bench). */
  async settle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
  }

  /** GET of a result URL, as the storage Shopify hands out answers it. */
  fetchResult(url: string): Response {
    const token = /\/bulk-results\/([0-9a-f]{32})\.jsonl$/.exec(new URL(url).pathname)?.[1];
    const op = token ? this.operations.find((o) => o.token === token && o.status === "COMPLETED") : undefined;
    if (!op?.file) return new Response("Not found", { status: 404 });
    // Node's fetch takes an async iterable as a body: the file is streamed, never read whole.
    return new Response(createReadStream(op.file) as unknown as BodyInit, {
      headers: { "content-type": "application/jsonl", "content-length": String(op.fileSize ?? 0) },
    });
  }

  /** Removes the result files (process exit, tests). */
  close() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async run(shop: Shop, op: BulkOperation, plan: Plan) {
    await new Promise((resolve) => setImmediate(resolve));
    if (op.status === "CANCELING") return this.finish(shop, op, "CANCELED", null);
    op.status = "RUNNING";
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${op.id}.jsonl`);
    const stream = createWriteStream(file);
    const schema = this.deps.schema();
    const fragments = fragmentsOf(plan.document);
    const rootType = fieldType(schema, schema.getQueryType()!, plan.rootField.name.value)!;
    const connType = getNamedType(rootType) as GraphQLCompositeType;
    const nodesField = fieldsIn(plan.rootField.selectionSet!, fragments);
    const key = plan.rootField.name.value;
    let after: string | null = null;
    try {
      for (;;) {
        const result = this.deps.executePage(shop, pageDocument(plan, this.deps.pageSize ?? 250, after));
        if (result.errors?.length) {
          throw new Error(`bulk page failed: ${JSON.stringify(result.errors[0])}`);
        }
        const conn = (result.data as any)[key];
        const buffer: string[] = [];
        const out = (line: string) => buffer.push(line);
        // The page as one synthetic node whose single connection is the root: its lines have no parent.
        for (const f of nodesField) {
          if (f.name.value === "nodes" && f.selectionSet) {
            const t = getNamedType(fieldType(schema, connType, "nodes")!) as GraphQLCompositeType;
            for (const n of conn.nodes ?? [])
              op.objectCount += writeNode(out, schema, fragments, n, t, f.selectionSet, null);
            op.rootObjectCount += (conn.nodes ?? []).length;
          }
          if (f.name.value === "edges" && f.selectionSet) {
            const edgeType = getNamedType(fieldType(schema, connType, "edges")!) as GraphQLCompositeType;
            const t = getNamedType(fieldType(schema, edgeType, "node")!) as GraphQLCompositeType;
            for (const e of fieldsIn(f.selectionSet, fragments)) {
              if (e.name.value !== "node" || !e.selectionSet) continue;
              for (const edge of conn.edges ?? []) {
                op.objectCount += writeNode(out, schema, fragments, edge.node, t, e.selectionSet, null);
              }
              op.rootObjectCount += (conn.edges ?? []).length;
            }
          }
        }
        if (buffer.length) await write(stream, `${buffer.join("\n")}\n`);
        if (!conn.pageInfo.hasNextPage) break;
        after = conn.pageInfo.endCursor;
        // Let the server answer polls between pages.
        await new Promise((resolve) => setImmediate(resolve));
        if ((op.status as BulkOperationStatus) === "CANCELING") {
          await end(stream);
          return this.finish(shop, op, "CANCELED", null);
        }
      }
      await end(stream);
      Object.assign(op, { file, fileSize: statSync(file).size });
      this.finish(shop, op, "COMPLETED", null);
    } catch (error) {
      await end(stream).catch(() => undefined);
      console.error("[sandbox] bulk operation failed", error);
      this.finish(shop, op, "FAILED", "INTERNAL_SERVER_ERROR");
    }
  }

  private finish(shop: Shop, op: BulkOperation, status: BulkOperationStatus, errorCode: BulkOperation["errorCode"]) {
    op.status = status;
    op.errorCode = errorCode;
    op.completedAt = this.deps.stamp();
    // Shopify's documented bulk_operations/finish payload.
    this.deps.emitFinish(shop, {
      admin_graphql_api_id: gidOf(op),
      completed_at: op.completedAt,
      created_at: op.createdAt,
      error_code: errorCode ? errorCode.toLowerCase() : null,
      status: status.toLowerCase(),
      type: "query",
    });
  }
}

export const gidOf = (op: BulkOperation) => `gid://shopify/BulkOperation/${op.id}`;

function write(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

function end(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("error", reject);
    stream.end(() => resolve());
  });
}

/* eslint-enable @typescript-eslint/no-explicit-any */
