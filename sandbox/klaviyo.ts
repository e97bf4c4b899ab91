/**
 * A local stand-in for Klaviyo's API (development and tests only), served by the sandbox at
 * /klaviyo: the app's Klaviyo client is pointed here by KLAVIYO_API_URL. It answers the two
 * operations Aftercare uses, Get Accounts (the key check) and Create Event, as Klaviyo does for
 * revision 2026-07-15, and records every event it accepts, so the demo and the tests show exactly
 * what Klaviyo would receive. It can fail on demand (an HTTP status for the next n requests).
 *
 * Each request body is checked against the API's definitions as Klaviyo's official client ships
 * them (klaviyo-api, generated from Klaviyo's OpenAPI spec): every model's attribute map (wire
 * names and types), its enums, and which properties are required (read from the model's type
 * declarations). Rules the spec states in prose are checked too: a profile needs an identifier,
 * a metric name is under 128 characters, at most 400 event properties, phone numbers in E.164.
 * The full spec is not shipped in the package, so a rule that exists only there (formats beyond
 * date-time, string lengths) is not checked.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import * as klaviyoModels from "klaviyo-api";

/** The revision the client sends (klaviyo-api 23.x) and the stand-in answers for. */
export const KLAVIYO_REVISION = "2026-07-15";
/** A key the stand-in accepts out of the box (the demo's control page shows it). */
export const KLAVIYO_DEMO_KEY = "pk_sandbox0demo0key00000000000000000000";

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}
interface ModelClass {
  attributeTypeMap?: Attribute[];
}
const models = klaviyoModels as unknown as Record<string, ModelClass | Record<string, string | number> | undefined>;

const packageDir = dirname(createRequire(import.meta.url).resolve("klaviyo-api/package.json"));
const requiredCache = new Map<string, Set<string>>();

/** The properties a model requires: those its declaration does not mark optional (`'name'?:`). */
function requiredOf(type: string): Set<string> {
  let required = requiredCache.get(type);
  if (!required) {
    const file = join(packageDir, "dist/model", `${type[0].toLowerCase()}${type.slice(1)}.d.ts`);
    required = new Set([...readFileSync(file, "utf8").matchAll(/^\s+'(\w+)':/gm)].map((m) => m[1]));
    requiredCache.set(type, required);
  }
  return required;
}

const enumCache = new Map<string, string[]>();

/** An enum's wire values, as its compiled module assigns them (`X[X["Event"] = 'event'] = "Event"`). */
function enumValues(type: string): string[] {
  let values = enumCache.get(type);
  if (!values) {
    const file = join(packageDir, "dist/model", `${type[0].toLowerCase()}${type.slice(1)}.js`);
    values = [...readFileSync(file, "utf8").matchAll(/\["\w+"\] = '([^']*)'/g)].map((m) => m[1]);
    enumCache.set(type, values);
  }
  return values;
}

function isEnum(type: string): boolean {
  const value = models[type];
  return typeof value === "object" && value !== null && !("attributeTypeMap" in value);
}

/** Problems with `value` as the model `type`, each with its JSON pointer. */
export function checkAgainstModel(value: unknown, type: string, pointer = ""): string[] {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (!Array.isArray(value)) return [`${pointer || "/"} must be an array`];
    return value.flatMap((item, i) => checkAgainstModel(item, array[1], `${pointer}/${i}`));
  }
  switch (type) {
    case "string":
      return typeof value === "string" ? [] : [`${pointer} must be a string`];
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? [] : [`${pointer} must be a number`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${pointer} must be a boolean`];
    case "Date":
      return typeof value === "string" && !Number.isNaN(Date.parse(value))
        ? []
        : [`${pointer} must be a date-time (ISO 8601)`];
    case "object":
    case "any":
      return typeof value === "object" && value !== null && !Array.isArray(value)
        ? []
        : [`${pointer} must be an object`];
  }
  if (isEnum(type)) {
    const allowed = enumValues(type);
    return allowed.includes(value as string) ? [] : [`${pointer} must be one of ${allowed.join(", ")}`];
  }
  const model = models[type] as ModelClass | undefined;
  if (!model?.attributeTypeMap) return [`${pointer}: the stand-in does not know the type ${type}`];
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return [`${pointer || "/"} must be an object`];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const known = new Set(model.attributeTypeMap.map((a) => a.baseName));
  for (const key of Object.keys(record))
    if (!known.has(key)) problems.push(`${pointer}/${key} is not a field of ${type}`);
  const required = requiredOf(type);
  for (const attribute of model.attributeTypeMap) {
    const field = record[attribute.baseName];
    if (field === undefined || field === null) {
      if (required.has(attribute.name)) problems.push(`${pointer}/${attribute.baseName} is required`);
      continue;
    }
    problems.push(...checkAgainstModel(field, attribute.type, `${pointer}/${attribute.baseName}`));
  }
  return problems;
}

/** The Create Event rules the spec states in prose. */
function createEventRules(body: CreateEventBody): string[] {
  const attributes = body.data.attributes;
  const problems: string[] = [];
  const profile = attributes.profile.data;
  const ids = ["email", "phone_number", "external_id", "anonymous_id", "_kx"] as const;
  if (!profile.id && !ids.some((k) => profile.attributes?.[k]))
    problems.push("/data/attributes/profile/data must identify the profile (id, email, phone_number …)");
  const phone = profile.attributes?.phone_number;
  if (phone && !/^\+[1-9]\d{6,14}$/.test(phone))
    problems.push("/data/attributes/profile/data/attributes/phone_number must be in E.164 format");
  if (attributes.metric.data.attributes.name.length >= 128)
    problems.push("/data/attributes/metric/data/attributes/name must be less than 128 characters");
  if (Object.keys(attributes.properties).length > 400)
    problems.push("/data/attributes/properties must not exceed 400 properties");
  return problems;
}

export interface CreateEventBody {
  data: {
    type: "event";
    attributes: {
      properties: Record<string, unknown>;
      time?: string;
      value?: number;
      value_currency?: string;
      unique_id?: string;
      metric: { data: { type: "metric"; attributes: { name: string } } };
      profile: {
        data: {
          id?: string;
          type: "profile";
          attributes?: Record<string, string | undefined> & { properties?: Record<string, unknown> };
        };
      };
    };
  };
}

export interface KlaviyoRecordedEvent {
  /** When the stand-in accepted it. */
  receivedAt: string;
  /** The key's last four characters (which account it went to). */
  keyLast4: string;
  metric: string;
  uniqueId: string | null;
  /** Klaviyo records one event per (profile, metric, unique_id): a repeat is accepted and not recorded. */
  duplicate: boolean;
  body: CreateEventBody;
}

const errors = (status: number, code: string, title: string, detail: string, pointer?: string) =>
  Response.json(
    { errors: [{ id: crypto.randomUUID(), status, code, title, detail, ...(pointer ? { source: { pointer } } : {}) }] },
    { status, headers: { "content-type": "application/vnd.api+json" } },
  );

export function createKlaviyoStandIn(options: { keys?: string[]; now?: () => Date } = {}) {
  const keys = new Set(options.keys ?? [KLAVIYO_DEMO_KEY]);
  const now = options.now ?? (() => new Date());
  const events: KlaviyoRecordedEvent[] = [];
  const refused: { at: string; path: string; problems: string[] }[] = [];
  let failures: { remaining: number; status: number } = { remaining: 0, status: 503 };

  function authenticate(request: Request): string | Response {
    const header = request.headers.get("authorization") ?? "";
    const match = /^Klaviyo-API-Key (\S+)$/.exec(header);
    if (!match || !keys.has(match[1]))
      return errors(
        401,
        "not_authenticated",
        "Incorrect authentication credentials.",
        "Missing or invalid private key.",
      );
    if (request.headers.get("revision") !== KLAVIYO_REVISION)
      return errors(400, "invalid", "Invalid input.", `The revision header must be ${KLAVIYO_REVISION}.`);
    return match[1];
  }

  async function createEvent(request: Request, key: string): Promise<Response> {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return errors(400, "parse_error", "Malformed JSON.", "The request body is not JSON.");
    }
    const problems = checkAgainstModel(body, "EventCreateQueryV2");
    if (problems.length === 0) problems.push(...createEventRules(body as CreateEventBody));
    if (problems.length) {
      refused.push({ at: now().toISOString(), path: "/api/events", problems });
      return errors(400, "invalid", "Invalid input.", problems.join("; "), problems[0].split(" ")[0]);
    }
    const event = body as CreateEventBody;
    const a = event.data.attributes;
    const profileKey = JSON.stringify([
      a.profile.data.attributes?.email ?? null,
      a.profile.data.attributes?.phone_number ?? null,
    ]);
    const uniqueId = a.unique_id ?? null;
    const duplicate =
      uniqueId !== null &&
      events.some(
        (e) =>
          !e.duplicate &&
          e.uniqueId === uniqueId &&
          e.metric === a.metric.data.attributes.name &&
          JSON.stringify([
            e.body.data.attributes.profile.data.attributes?.email ?? null,
            e.body.data.attributes.profile.data.attributes?.phone_number ?? null,
          ]) === profileKey,
      );
    events.push({
      receivedAt: now().toISOString(),
      keyLast4: key.slice(-4),
      metric: a.metric.data.attributes.name,
      uniqueId,
      duplicate,
      body: event,
    });
    return new Response(null, { status: 202 });
  }

  return {
    events: () => events,
    /** The Create Event requests the stand-in refused, and why (a wrong shape shows here). */
    refused: () => refused,
    addKey: (key: string) => keys.add(key),
    /** The next `count` requests answer `status` (503 by default; 429, 500 …) before anything else. */
    failNext(count: number, status = 503) {
      failures = { remaining: count, status };
    },
    reset() {
      events.length = 0;
      refused.length = 0;
      failures = { remaining: 0, status: 503 };
    },
    /** A request under /klaviyo (the part after it in `path`, e.g. "/api/events"). */
    async handle(request: Request, path: string): Promise<Response> {
      if (failures.remaining > 0) {
        failures.remaining--;
        return errors(failures.status, "error", "Service unavailable.", "The sandbox was asked to fail this request.");
      }
      const key = authenticate(request);
      if (key instanceof Response) return key;
      if (path === "/api/accounts" && request.method === "GET") {
        return Response.json(
          {
            data: [
              {
                type: "account",
                id: "SANDBOX",
                attributes: {
                  test_account: true,
                  contact_information: { organization_name: "Sandbox Klaviyo account" },
                  locale: "en-US",
                  preferred_currency: "USD",
                  public_api_key: "SANDBX",
                  timezone: "UTC",
                },
                links: { self: "/api/accounts/SANDBOX/" },
              },
            ],
            links: { self: "/api/accounts/" },
          },
          { headers: { "content-type": "application/vnd.api+json" } },
        );
      }
      if (path === "/api/events" && request.method === "POST") return createEvent(request, key);
      return errors(404, "not_found", "Not found.", `The stand-in does not implement ${request.method} ${path}.`);
    },
  };
}

export type KlaviyoStandIn = ReturnType<typeof createKlaviyoStandIn>;
