/**
 * Customers' tags and app-owned metafields, as Shopify's Admin API treats them, for the app's
 * customer metafields (points balance, tier, lifetime points) and Flow's "tag customer by tier".
 *
 * metafieldsSet on a customer follows Shopify's rules: at most 25 metafields a call; the owner
 * must exist; the namespace `$app` (the app's reserved namespace, stored as `app--<id>`) or one
 * of 3 to 255 characters; a key of 2 to 64 letters, digits, `-` and `_`; a metafield with an
 * app-owned definition (declared in shopify.app.toml as [customer.metafields.app.<key>]) must be
 * written with the definition's type; the value must be valid for its type; one wrong input and
 * nothing is written (userErrors with Shopify's codes). A type this sandbox does not model is
 * refused loudly, never accepted silently.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import type { Customer } from "./state";

export const APP_NAMESPACE = "app--sandbox";
const MAX_INPUTS = 25;
const MAX_INT = 9_007_199_254_740_991;

export interface CustomerMetafield {
  id: number;
  namespace: string;
  key: string;
  type: string;
  value: string;
  updatedAt: string;
}

export interface MetafieldDefinition {
  ownerType: "CUSTOMER";
  key: string;
  type: string;
  name: string;
}

/** The app-owned customer metafield definitions in the app's configuration. */
export function loadAppMetafieldDefinitions(tomlPath: string): MetafieldDefinition[] {
  if (!existsSync(tomlPath)) return [];
  const definitions: MetafieldDefinition[] = [];
  let current: MetafieldDefinition | null = null;
  for (const raw of readFileSync(tomlPath, "utf8").split("\n")) {
    const line = raw.replace(/\s+#.*$/, "").trim();
    const table = /^\[customer\.metafields\.app\.([A-Za-z0-9_-]+)\]$/.exec(line);
    if (table) {
      current = { ownerType: "CUSTOMER", key: table[1], type: "", name: table[1] };
      definitions.push(current);
      continue;
    }
    if (line.startsWith("[")) {
      current = null;
      continue;
    }
    const kv = /^([a-z_.]+)\s*=\s*"(.*)"$/.exec(line);
    if (current && kv && kv[1] === "type") current.type = kv[2];
    if (current && kv && kv[1] === "name") current.name = kv[2];
  }
  return definitions;
}

export class UnmodelledMetafield extends Error {}

interface UserError {
  field: string[];
  message: string;
  code: string;
}

interface MetafieldInput {
  ownerId?: unknown;
  namespace?: unknown;
  key?: unknown;
  type?: unknown;
  value?: unknown;
  compareDigest?: unknown;
}

const TYPES: Record<string, (value: string) => string | null> = {
  number_integer: (v) =>
    /^-?\d+$/.test(v.trim()) && Math.abs(Number(v)) <= MAX_INT ? null : "Value must be an integer.",
  single_line_text_field: (v) =>
    v.includes("\n") ? "Value must be a single line." : v.length > 5000 ? "Value is too long." : null,
  boolean: (v) => (v === "true" || v === "false" ? null : "Value must be true or false."),
};

export function setCustomerMetafields(input: {
  inputs: MetafieldInput[];
  customerOf: (ownerId: unknown) => (Customer & { metafields?: CustomerMetafield[] }) | undefined;
  definitions: MetafieldDefinition[];
  nextId: () => number;
  now: string;
}): { metafields: (CustomerMetafield & { ownerId: string })[] | null; userErrors: UserError[] } {
  const { inputs } = input;
  if (inputs.length > MAX_INPUTS)
    return {
      metafields: null,
      userErrors: [
        {
          field: ["metafields"],
          message: `Exceeded the maximum metafields input limit of ${MAX_INPUTS}.`,
          code: "LESS_THAN_OR_EQUAL_TO",
        },
      ],
    };
  const errors: UserError[] = [];
  inputs.forEach((m, i) => {
    const at = (f: string) => ["metafields", String(i), f];
    if (!input.customerOf(m.ownerId))
      errors.push({ field: at("ownerId"), message: "Owner does not exist.", code: "INVALID" });
    const namespace = typeof m.namespace === "string" ? m.namespace : "";
    if (namespace !== "$app" && (namespace.length < 3 || namespace.length > 255))
      errors.push({
        field: at("namespace"),
        message: "Namespace is too short (minimum is 3 characters).",
        code: "TOO_SHORT",
      });
    const key = typeof m.key === "string" ? m.key : "";
    if (key.length < 2 || key.length > 64)
      errors.push({
        field: at("key"),
        message: "Key must be 2 to 64 characters.",
        code: key.length < 2 ? "TOO_SHORT" : "TOO_LONG",
      });
    else if (!/^[A-Za-z0-9_-]+$/.test(key))
      errors.push({ field: at("key"), message: "Key contains one or more invalid characters.", code: "INVALID" });
    const definition = namespace === "$app" ? input.definitions.find((d) => d.key === key) : undefined;
    const type = typeof m.type === "string" && m.type ? m.type : definition?.type;
    if (!type) {
      errors.push({ field: at("type"), message: "Type can't be blank.", code: "BLANK" });
      return;
    }
    if (definition && definition.type !== type) {
      errors.push({
        field: at("type"),
        message: `Type must be '${definition.type}' for the definition ${namespace}.${key}.`,
        code: "INVALID_TYPE",
      });
      return;
    }
    const check = TYPES[type];
    if (!check) throw new UnmodelledMetafield(`metafieldsSet with the type ${type}`);
    const problem = typeof m.value === "string" ? check(m.value) : "Value can't be blank.";
    if (problem)
      errors.push({
        field: at("value"),
        message: problem,
        code: typeof m.value === "string" ? "INVALID_VALUE" : "BLANK",
      });
  });
  if (errors.length) return { metafields: null, userErrors: errors };
  const written = inputs.map((m) => {
    const customer = input.customerOf(m.ownerId)!;
    const namespace = m.namespace === "$app" ? APP_NAMESPACE : String(m.namespace);
    const key = String(m.key);
    const definition = m.namespace === "$app" ? input.definitions.find((d) => d.key === key) : undefined;
    customer.metafields ??= [];
    const list = customer.metafields;
    let row = list.find((x) => x.namespace === namespace && x.key === key);
    if (!row) {
      row = { id: input.nextId(), namespace, key, type: "", value: "", updatedAt: input.now };
      list.push(row);
    }
    Object.assign(row, { type: (m.type as string) || definition!.type, value: String(m.value), updatedAt: input.now });
    return { ...row, ownerId: `gid://shopify/Customer/${customer.id}` };
  });
  return { metafields: written, userErrors: [] };
}

/**
 * metafieldsDelete on customers: each identifier (owner, namespace, key) removes that metafield;
 * one that does not exist still succeeds, answered with null in its place, as Shopify answers.
 */
export function deleteCustomerMetafields(input: {
  identifiers: { ownerId?: unknown; namespace?: unknown; key?: unknown }[];
  customerOf: (ownerId: unknown) => (Customer & { metafields?: CustomerMetafield[] }) | undefined;
}) {
  const deletedMetafields = input.identifiers.map((m) => {
    const customer = input.customerOf(m.ownerId);
    const namespace = m.namespace === "$app" ? APP_NAMESPACE : String(m.namespace);
    const at = customer?.metafields?.findIndex((x) => x.namespace === namespace && x.key === String(m.key)) ?? -1;
    if (!customer || at < 0) return null;
    customer.metafields!.splice(at, 1);
    return { ownerId: String(m.ownerId), namespace: String(m.namespace), key: String(m.key) };
  });
  return { deletedMetafields, userErrors: [] };
}

/** A customer's metafield by namespace ("$app" for the app's own) and key. */
export function customerMetafield(
  customer: Customer & { metafields?: CustomerMetafield[] },
  namespace: string,
  key: string,
) {
  const ns = namespace === "$app" ? APP_NAMESPACE : namespace;
  return customer.metafields?.find((m) => m.namespace === ns && m.key === key) ?? null;
}

/** tagsAdd / tagsRemove on a customer: tags are trimmed, compared without case, kept once. */
export function changeCustomerTags(customer: Customer, tags: string[], add: boolean): string | null {
  const clean = tags.map((t) => t.trim()).filter(Boolean);
  if (clean.some((t) => t.length > 255)) return "Tags must be at most 255 characters.";
  const lower = new Set(clean.map((t) => t.toLowerCase()));
  if (add) {
    for (const t of clean) if (!customer.tags.some((x) => x.toLowerCase() === t.toLowerCase())) customer.tags.push(t);
  } else customer.tags = customer.tags.filter((x) => !lower.has(x.toLowerCase()));
  return null;
}

export const appTomlPath = () => join(import.meta.dirname, "../../shopify.app.toml");
