/**
 * Every message key the admin uses at runtime is in every admin locale, including keys a page
 * builds as it runs: `t(`returnStatus.${status}`)`, `codeLabel(t, "shipmentStatus", code)`, a
 * template named `as AdminMessageKey`. TypeScript checks a key written out in full (and one built
 * from a union of literals) against English; this test reads the source for each key built at
 * runtime, requires the family it belongs to to be listed below with the values it is built from
 * (the domain's own lists, or Shopify's enums from the offline Admin schema for codes Shopify
 * sends), and fails on any member of a family missing in English, Korean or Japanese. A code
 * without a message would show as its words with underscores taken out, in English.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

import { CHANNEL_KINDS, TOPICS } from "../../domain/contact/settings";
import { REWARD_KINDS } from "../../domain/loyalty/admin-form";
import { CHANNEL_LABELS } from "../../domain/returns/desk";
import { RETURN_EMAIL_VARIABLES, RETURN_EMAILS } from "../../domain/returns/email-templates";
import { DISPOSITIONS, RESOLUTIONS, RETURN_STATUSES, SHOPIFY_RETURN_REASONS } from "../../domain/returns/policy";
import { ATTENTION_KINDS } from "../../domain/tracking/attention";
import { TEMPLATE_VARIABLES } from "../../domain/tracking/email-templates";
import { DEFAULT_TRACKING_SETTINGS } from "../../domain/tracking/settings";
import { MILESTONES, PROBLEMS } from "../../domain/tracking/timeline";
import { LANGUAGES, NOTIFIED_MILESTONES, WORDING_KEYS } from "../../domain/tracking/vocabulary";
import { STOREFRONT_BLOCKS } from "../../models/setup-guide.server";
import { registerCoreDashboardMetrics } from "../../services/dashboard/core-metrics.server";
import { dashboardMetrics } from "../../services/dashboard/registry.server";

import ko from "./ko.json";
import ja from "./ja.json";
import en from "./en.json";

const APP = join(__dirname, "..", "..");

/** Shopify's enum, as the Admin API (the version the app speaks) names its values. */
function shopifyEnum(name: string): string[] {
  const file = join(APP, "..", "sandbox", "schema", "admin_2026-07.json.gz");
  const schema = JSON.parse(gunzipSync(readFileSync(file)).toString()) as {
    data?: { __schema: { types: { name: string; enumValues?: { name: string }[] }[] } };
    __schema?: { types: { name: string; enumValues?: { name: string }[] }[] };
  };
  const types = (schema.data ?? schema).__schema!.types;
  const found = types.find((t) => t.name === name)?.enumValues;
  if (!found) throw new Error(`Shopify's schema has no enum ${name}`);
  return found.map((v) => v.name);
}
const lower = (values: string[]) => values.map((v) => v.toLowerCase());

registerCoreDashboardMetrics();

/**
 * Keys built at runtime, by their shape (each `${…}` as `*`), with the values each `*` takes.
 * A new shape in the source must be added here with the list it is built from.
 */
const BUILT: Record<string, ReadonlyArray<ReadonlyArray<string | number>>> = {
  "error.*.title": [["notFound", "badRequest", "server"]],
  "error.*.body": [["notFound", "badRequest", "server"]],
  "reconcile.*": [["orders", "shipments", "scans", "refunds", "returns"]],
  "contact.error.channel.*": [CHANNEL_KINDS],
  "weekday.*": [[0, 1, 2, 3, 4, 5, 6]],
  "inbox.language.*": [LANGUAGES],
  "rewards.kind.*": [REWARD_KINDS],
  // The home page's figures (label and help; a figure's detail may fall back to the server's words).
  "dashboard.*.*": [dashboardMetrics().map((m) => m.id), ["label", "help"]],
  "setup.block-*.title": [STOREFRONT_BLOCKS],
  "setup.block-*.description": [STOREFRONT_BLOCKS],
  "declineReason.*": [shopifyEnum("ReturnDeclineReason")],
  "disposition.*": [DISPOSITIONS],
  "returnAction.*": [["approve", "decline", "receive", "resolve", "sync"]],
  "returnPage.exchange.*": [["pending", "confirmed", "added"]],
  "language.*": [LANGUAGES],
  "returnEmail.*": [RETURN_EMAILS],
  "returnVariable.*": [RETURN_EMAIL_VARIABLES.map((v) => v.name)],
  "shopifyReturnReason.*": [SHOPIFY_RETURN_REASONS],
  "trackingSettings.display.*": [Object.keys(DEFAULT_TRACKING_SETTINGS.display)],
  "trackingVariable.*": [TEMPLATE_VARIABLES],
};

/** `codeLabel(t, kind, code)`: the codes each kind shows. */
const CODES: Record<string, ReadonlyArray<string>> = {
  actor: ["staff"],
  milestone: [...new Set([...MILESTONES, ...PROBLEMS, ...NOTIFIED_MILESTONES, ...WORDING_KEYS])],
  "contact.channel": CHANNEL_KINDS,
  "contact.topic": TOPICS,
  // A shipment's latest event (Shopify's FulfillmentEventStatus), else its fulfilment's status.
  shipmentStatus: lower([...shopifyEnum("FulfillmentEventStatus"), ...shopifyEnum("FulfillmentStatus")]),
  shopifyReturnStatus: shopifyEnum("ReturnStatus"),
  "member.kind": [
    "earn_order",
    "reverse_refund",
    "reverse_cancel",
    "signup",
    "birthday",
    "adjust",
    "redeem",
    "redeem_return",
    "expire",
    "merge_in",
    "merge_out",
  ],
  redemptionStatus: ["pending", "issued", "failed"],
  declineReason: shopifyEnum("ReturnDeclineReason"),
  financialStatus: lower(shopifyEnum("OrderDisplayFinancialStatus")),
  resolution: RESOLUTIONS,
  returnChannel: Object.keys(CHANNEL_LABELS),
  returnStatus: RETURN_STATUSES,
  "attention.kind": ATTENTION_KINDS,
  "attention.reason": ["past_estimate", "no_carrier_scan", "unfulfilled_too_long", "carrier_reported_delay"],
  notificationStatus: ["pending", "sending", "sent", "retrying", "failed", "suppressed", "skipped"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => join(dir, f));
}

/** Where the source builds a key at runtime, and how. */
function builtKeys() {
  const shapes = new Map<string, string>();
  const kinds = new Map<string, string>();
  const calls = [
    /(?:\bt|\bsaid|\.count)\(\s*`([^`]*)`/g,
    /\bfieldProblem\(\s*[^,()]+,\s*`([^`]*)`/g,
    /`([^`]*)`\s+as\s+AdminMessageKey/g,
  ];
  for (const file of sourceFiles(APP)) {
    const where = relative(APP, file);
    // codeLabel itself builds `${kind}.${code}`: its kinds are read at each call below.
    if (where === join("locales", "admin", "codes.ts")) continue;
    const text = readFileSync(file, "utf8");
    for (const pattern of calls) {
      for (const m of text.matchAll(pattern)) {
        if (!m[1].includes("${")) continue;
        shapes.set(m[1].replace(/\$\{[^}]*\}/g, "*"), where);
      }
    }
    for (const m of text.matchAll(/\bcodeLabel\(\s*\w+,\s*"([^"]+)"/g)) kinds.set(m[1], where);
  }
  return { shapes, kinds };
}

function expand(shape: string, values: ReadonlyArray<ReadonlyArray<string | number>>): string[] {
  let keys = [shape];
  for (const list of values) {
    keys = keys.flatMap((k) => list.map((v) => k.replace("*", String(v))));
  }
  return keys;
}

const LOCALES = { en, ko, ja } as Record<string, Record<string, unknown>>;

describe("keys the admin builds at runtime", () => {
  const { shapes, kinds } = builtKeys();

  it("are found in the source (the reading of the source works)", () => {
    expect(shapes.size).toBeGreaterThan(10);
    expect(kinds.size).toBeGreaterThan(10);
    expect(shapes.get("returnPage.exchange.*")).toBe(join("routes", "app.returns.$id.tsx"));
    expect(kinds.get("shipmentStatus")).toBeDefined();
  });

  it("each have their family listed with the values they are built from", () => {
    const unlisted = [...shapes].filter(([shape]) => !(shape in BUILT)).map(([s, where]) => `${s} (${where})`);
    expect(unlisted, "add each to BUILT with the list its values come from").toEqual([]);
    const unlistedKinds = [...kinds].filter(([kind]) => !(kind in CODES)).map(([k, where]) => `${k} (${where})`);
    expect(unlistedKinds, "add each to CODES with the codes it shows").toEqual([]);
  });

  it.each(Object.keys(LOCALES))("are all in the %s locale file", (locale) => {
    const messages = LOCALES[locale];
    const wanted = [
      ...Object.entries(BUILT).flatMap(([shape, values]) => expand(shape, values)),
      ...Object.entries(CODES).flatMap(([kind, codes]) => codes.map((code) => `${kind}.${code}`)),
    ];
    expect(wanted.filter((key) => !messages[key])).toEqual([]);
  });
});
