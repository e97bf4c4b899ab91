/**
 * Shopify Flow, as far as the app meets it: the app's flow_trigger and flow_action extensions
 * (extensions/<handle>/shopify.extension.toml), `flowTriggerReceive` checked against the declared
 * trigger as Flow checks it (the handle must name a trigger extension of the app; the payload must
 * carry every declared field with a value of its type, and nothing else), and action requests
 * sent to the app the way Flow sends them (a JSON body signed with the app's secret in
 * X-Shopify-Hmac-Sha256). What each trigger received is kept, so tests and the demo can show it.
 */
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface FlowFieldDeclaration {
  type: string;
  key?: string;
  name?: string;
  description?: string;
  required?: boolean;
}

export interface FlowExtension {
  type: "flow_trigger" | "flow_action";
  handle: string;
  name: string;
  description?: string;
  runtimeUrl?: string;
  fields: FlowFieldDeclaration[];
}

/**
 * Reads the part of TOML the Flow extensions use: `[[extensions]]`, `[settings]`,
 * `[[settings.fields]]`, and `key = "string" | true | false | number` lines with comments. Anything
 * else is refused with its line, never skipped.
 */
export function parseFlowExtensionToml(source: string, file = "shopify.extension.toml"): FlowExtension[] {
  const extensions: (Record<string, unknown> & { fields: Record<string, unknown>[] })[] = [];
  let target: Record<string, unknown> | null = null;
  source.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (!line || line.startsWith("#")) return;
    const fail = (why: string) => {
      throw new Error(`${file}:${i + 1}: ${why}: ${raw}`);
    };
    if (line === "[[extensions]]") {
      target = { fields: [] };
      extensions.push(target as (typeof extensions)[number]);
    } else if (line === "[settings]") {
      if (!extensions.length) fail("[settings] before [[extensions]]");
      target = null;
    } else if (line === "[[settings.fields]]") {
      const ext = extensions.at(-1);
      if (!ext) fail("[[settings.fields]] before [[extensions]]");
      target = {};
      ext!.fields.push(target);
    } else {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(line);
      if (!match) return fail("not a line this reader knows");
      if (!target) return fail("a value outside [[extensions]] or [[settings.fields]]");
      const [, key, value] = match;
      if (/^"(?:[^"\\]|\\.)*"$/.test(value)) target[key] = JSON.parse(value);
      else if (value === "true" || value === "false") target[key] = value === "true";
      else if (/^-?\d+(\.\d+)?$/.test(value)) target[key] = Number(value);
      else fail("a value this reader does not know");
    }
  });
  return extensions.map((e) => {
    if (e.type !== "flow_trigger" && e.type !== "flow_action") throw new Error(`${file}: not a Flow extension`);
    if (typeof e.handle !== "string" || !/^[a-z0-9-]{1,30}$/.test(e.handle))
      throw new Error(`${file}: a handle is at most 30 letters, digits and hyphens`);
    return {
      type: e.type,
      handle: e.handle,
      name: String(e.name ?? ""),
      description: e.description as string | undefined,
      runtimeUrl: e.runtime_url as string | undefined,
      fields: e.fields as unknown as FlowFieldDeclaration[],
    };
  });
}

/** Every Flow extension under `dir` (the app's extensions/ folder). */
export function loadFlowExtensions(dir: string): FlowExtension[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name, "shopify.extension.toml"))
    .filter((file) => existsSync(file))
    .map((file) => ({ file, source: readFileSync(file, "utf8") }))
    .filter(({ source }) => /^type\s*=\s*"flow_(trigger|action)"/m.test(source))
    .flatMap(({ file, source }) => parseFlowExtensionToml(source, file));
}

const REFERENCE_KEYS: Record<string, string> = {
  customer_reference: "customer_id",
  order_reference: "order_id",
  product_reference: "product_id",
};

/** The payload key of a declared field: a reference's id key, else the field's own key. */
export const payloadKeyOf = (field: FlowFieldDeclaration) => REFERENCE_KEYS[field.type] ?? field.key ?? "";

function problemWith(field: FlowFieldDeclaration, value: unknown): string | null {
  const key = payloadKeyOf(field);
  switch (field.type) {
    case "customer_reference":
    case "order_reference":
    case "product_reference":
      return (typeof value === "number" && Number.isSafeInteger(value) && value > 0) ||
        (typeof value === "string" && /^\d+$/.test(value))
        ? null
        : `'${key}' must be the resource's numeric id`;
    case "single_line_text_field":
    case "multi_line_text_field":
      if (typeof value !== "string") return `'${key}' must be a string`;
      return field.type === "single_line_text_field" && value.includes("\n") ? `'${key}' must be one line` : null;
    case "number_integer":
      return typeof value === "number" && Number.isInteger(value) ? null : `'${key}' must be an integer`;
    case "number_decimal":
      return typeof value === "number" && Number.isFinite(value) ? null : `'${key}' must be a number`;
    case "boolean":
      return typeof value === "boolean" ? null : `'${key}' must be true or false`;
    case "email":
      return typeof value === "string" && /^[^@\s]+@[^@\s]+$/.test(value) ? null : `'${key}' must be an email address`;
    case "url":
      return typeof value === "string" && /^https?:\/\/\S+$/.test(value) ? null : `'${key}' must be a URL`;
    default:
      return `'${key}' has the type ${field.type}, which the sandbox does not model`;
  }
}

export interface FlowUserError {
  field: string[];
  message: string;
}

/** What flowTriggerReceive answers for a handle and payload: no userErrors when Flow takes it. */
export function checkTriggerPayload(triggers: FlowExtension[], handle: unknown, payload: unknown): FlowUserError[] {
  const trigger = triggers.find((t) => t.type === "flow_trigger" && t.handle === handle);
  if (typeof handle !== "string" || !trigger)
    return [
      {
        field: ["handle"],
        message: `Invalid handle '${String(handle)}': the app has no flow_trigger extension with it`,
      },
    ];
  if (!payload || typeof payload !== "object" || Array.isArray(payload))
    return [{ field: ["payload"], message: "The payload must be a JSON object" }];
  if (JSON.stringify(payload).length > 50_000)
    return [{ field: ["payload"], message: "The payload is larger than 50 KB" }];
  const errors: FlowUserError[] = [];
  const body = payload as Record<string, unknown>;
  const declared = new Set(trigger.fields.map(payloadKeyOf));
  for (const field of trigger.fields) {
    const key = payloadKeyOf(field);
    const problem = key in body ? problemWith(field, body[key]) : `Missing the declared field '${key}'`;
    if (problem) errors.push({ field: ["payload", key], message: problem });
  }
  for (const key of Object.keys(body))
    if (!declared.has(key)) errors.push({ field: ["payload", key], message: `'${key}' is not a field of ${handle}` });
  return errors;
}

export interface FlowTriggerRun {
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: string;
}

export interface FlowActionCall {
  status: number;
  body: unknown;
  request: Record<string, unknown>;
}

/**
 * Runs an action the way a Flow workflow does: checks the properties against the action's
 * declared fields (as the Flow editor does before a workflow can be turned on), then POSTs the
 * signed request to the app's runtime URL, rebased onto `appUrl`.
 */
export async function callFlowAction(input: {
  actions: FlowExtension[];
  appUrl: string;
  secret: string;
  shop: { id: number; domain: string };
  handle: string;
  properties: Record<string, unknown>;
  actionRunId?: string;
  fetchFn?: typeof fetch;
}): Promise<FlowActionCall> {
  const action = input.actions.find((a) => a.type === "flow_action" && a.handle === input.handle);
  if (!action?.runtimeUrl) throw new Error(`The app has no flow_action extension '${input.handle}'`);
  for (const field of action.fields) {
    const key = payloadKeyOf(field);
    const value = input.properties[key];
    if (field.required && (value === undefined || value === ""))
      throw new Error(`${input.handle}: the required field '${key}' is empty`);
  }
  const request = {
    shop_id: input.shop.id,
    shopify_domain: input.shop.domain,
    action_run_id: input.actionRunId ?? randomUUID(),
    action_definition_id: action.handle,
    handle: action.handle,
    properties: input.properties,
  };
  const body = JSON.stringify(request);
  const path = new URL(action.runtimeUrl).pathname;
  const response = await (input.fetchFn ?? fetch)(new URL(path, input.appUrl), {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", input.secret).update(body).digest("base64"),
    },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: kept as text.
  }
  return { status: response.status, body: parsed, request };
}
