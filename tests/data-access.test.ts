/**
 * One owner per table (docs/decisions/0021-one-owner-per-table.md): only a table's owner calls
 * Prisma on it, or names it in raw SQL. Routes, webhook handlers, jobs and the dashboard call the
 * owner's functions instead.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

import { describe, expect, it } from "vitest";

// Who owns which table. An owner is a file, or a folder (ending in "/") and everything under it.
// "app/models/" is every model but an area's own (models/tracking.server.ts etc. belong to their area).
const MODELS = ["app/models/"];
const AREA_MODELS = ["tracking", "returns", "loyalty", "contact"].map((area) => `app/models/${area}.server.ts`);
const TRACKING = ["app/services/tracking/", "app/models/tracking.server.ts"];
const RETURNS = ["app/services/returns/", "app/models/returns.server.ts"];
const LOYALTY = ["app/services/loyalty/", "app/models/loyalty.server.ts"];
const CONTACT = ["app/services/contact/", "app/models/contact.server.ts"];

const OWNERS: Record<string, string[]> = {
  // Shopify's mirror and the app's plumbing: app/models/
  Session: MODELS,
  Shop: MODELS,
  WebhookEvent: MODELS,
  Customer: MODELS,
  Order: MODELS,
  LineItem: MODELS,
  Fulfillment: MODELS,
  FulfillmentLine: MODELS,
  FulfillmentEvent: MODELS,
  Refund: MODELS,
  RefundLine: MODELS,
  ShopifyReturn: MODELS,
  Notification: ["app/models/outbox.server.ts"],
  EmailSuppression: ["app/models/outbox.server.ts"],
  // Areas
  TrackingSettings: TRACKING,
  ShipmentTracking: TRACKING,
  AttentionHandled: TRACKING,
  TrackingRecommendationCache: TRACKING,
  ReturnSettings: RETURNS,
  ReturnCase: RETURNS,
  ReturnCaseLine: RETURNS,
  ReturnLineClaim: RETURNS,
  ReturnCasePhoto: RETURNS,
  LoyaltySettings: LOYALTY,
  LoyaltyReward: LOYALTY,
  LoyaltyMember: LOYALTY,
  LoyaltyLedgerEntry: LOYALTY,
  LoyaltyOrder: LOYALTY,
  LoyaltyRedemption: LOYALTY,
  ContactSettings: CONTACT,
  // The request-number counter reads the shop's highest number once, to start from it.
  ContactRequest: [...CONTACT, "app/models/request-numbers.server.ts"],
  ContactRequestCounter: ["app/models/request-numbers.server.ts"],
  ContactMessage: CONTACT,
  SurveyResponse: CONTACT,
  TrackingViewDay: CONTACT,
  SavedReply: CONTACT,
  // Staff members who have used the app (names for the inbox's assignment and replies)
  StaffMember: ["app/models/staff.server.ts"],
  StaffPhoto: ["app/models/staff.server.ts"],
  // Importing a shop's past orders (a new area: its own module, when it lands)
  HistoryImport: ["app/services/history-import/", "app/models/history-import.server.ts"],
  HistoryImportSettings: ["app/services/history-import/", "app/models/history-import.server.ts"],
  HistoryImportPendingOrder: ["app/models/history-import.server.ts"],
  // Reconciliation's cursor and last pass (docs/decisions/0023-reconciliation.md)
  ReconciliationState: ["app/services/reconciliation/", "app/models/reconciliation.server.ts"],
  // The setup guide on the admin home (docs/decisions/0024-setup-guide.md)
  StorefrontBlockSeen: ["app/models/setup-guide.server.ts"],
  SetupGuideState: ["app/models/setup-guide.server.ts"],
  // The dashboard's daily rollup (docs/decisions/0028)
  DashboardDay: ["app/models/dashboard-rollup.server.ts"],
  DashboardRollupState: ["app/models/dashboard-rollup.server.ts"],
  // The event stream (docs/events.md)
  AppEvent: ["app/models/events.server.ts"],
  EventDelivery: ["app/models/events.server.ts"],
  // A shop's Klaviyo account (docs/decisions/0043)
  KlaviyoConnection: ["app/models/klaviyo.server.ts"],
  // Text messages (docs/decisions/0044)
  SmsSettings: ["app/models/sms.server.ts"],
  SmsOptOut: ["app/models/sms.server.ts"],
  SmsMessage: ["app/models/sms.server.ts"],
  // Customer metafields to write (docs/decisions/0044)
  MemberMetafieldSync: ["app/models/metafield-sync.server.ts"],
  // Infrastructure
  RateLimitCounter: ["app/services/rate-limit.server.ts"],
  ScheduledTask: ["app/jobs/scheduler.server.ts"],
  DataRequest: ["app/services/compliance.server.ts"],
  RedactedShop: ["app/services/compliance.server.ts"],
};

/** Erasing a shop's or a customer's data is required by law in every table: it may touch any. */
const EVERY_TABLE = ["app/services/compliance.server.ts"];

/**
 * Calls not yet moved to their owner, as `file table`, each with why it stays. Keep this empty
 * unless a move cannot be made safely yet; an entry that no longer happens fails the test.
 */
const KNOWN_VIOLATIONS: string[] = [];

const PRISMA_METHODS = [
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "create",
  "createMany",
  "createManyAndReturn",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
  "count",
  "aggregate",
  "groupBy",
];

const TABLES = [...readFileSync("prisma/schema.prisma", "utf8").matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1]);
const delegateOf = (table: string) => table[0].toLowerCase() + table.slice(1);
const TABLE_OF_DELEGATE = new Map(TABLES.map((t) => [delegateOf(t), t]));

interface Violation {
  file: string;
  line: number;
  table: string;
  owners: string[];
}

const isOwner = (file: string, table: string) =>
  EVERY_TABLE.includes(file) ||
  (OWNERS[table] ?? []).some((owner) =>
    owner === "app/models/"
      ? file.startsWith(owner) && !AREA_MODELS.includes(file)
      : owner.endsWith("/")
        ? file.startsWith(owner)
        : file === owner,
  );

/**
 * Splits TypeScript source into code (comments and string contents blanked) and string contents
 * (everything else blanked), both keeping every offset and line break. Template literals' `${…}`
 * parts are code.
 */
function split(source: string): { code: string; strings: string } {
  const code = source.split("");
  const strings: string[] = source.split("").map((c) => (c === "\n" ? "\n" : " "));
  const blank = (i: number) => {
    if (code[i] !== "\n") code[i] = " ";
  };
  const keepString = (i: number) => {
    strings[i] = source[i];
    blank(i);
  };
  const templateDepths: number[] = []; // brace depth at which each open `${` returns to its template
  let depth = 0;
  let lastSignificant = "";
  let i = 0;
  const n = source.length;

  const readTemplate = () => {
    // at the character after ` or after the } closing a ${…}
    while (i < n) {
      const c = source[i];
      if (c === "\\") {
        keepString(i);
        keepString(i + 1);
        i += 2;
      } else if (c === "`") {
        i++;
        return;
      } else if (c === "$" && source[i + 1] === "{") {
        templateDepths.push(depth);
        depth++;
        i += 2;
        return;
      } else {
        keepString(i);
        i++;
      }
    }
  };

  while (i < n) {
    const c = source[i];
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      while (i < n && source[i] !== "\n") blank(i++);
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end < 0 ? n : end + 2;
      while (i < stop) blank(i++);
    } else if (c === '"' || c === "'") {
      i++;
      while (i < n && source[i] !== c && source[i] !== "\n") {
        if (source[i] === "\\") keepString(i++);
        keepString(i++);
      }
      i++;
      lastSignificant = c;
    } else if (c === "`") {
      i++;
      readTemplate();
      lastSignificant = "`";
    } else if (c === "/" && (lastSignificant === "" || "(,=:[!&|?{};+-*%<>~^".includes(lastSignificant))) {
      // a regular expression literal
      i++;
      let inClass = false;
      while (i < n && source[i] !== "\n") {
        const r = source[i];
        if (r === "\\") i++;
        else if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        i++;
      }
      i++;
      lastSignificant = "/";
    } else {
      if (c === "{") depth++;
      else if (c === "}") {
        depth--;
        if (templateDepths.length && templateDepths[templateDepths.length - 1] === depth) {
          templateDepths.pop();
          i++;
          readTemplate();
          lastSignificant = "`";
          continue;
        }
      }
      if (!/\s/.test(c)) lastSignificant = /[\w$)\]]/.test(c) ? "x" : c;
      i++;
    }
  }
  return { code: code.join(""), strings: strings.join("") };
}

const METHOD = PRISMA_METHODS.join("|");
const DELEGATE = [...TABLE_OF_DELEGATE.keys()].join("|");
// `<client>.order.findMany(`: the client may be db, tx, db(), this.db, t.db …; spaces and line breaks allowed.
const CALL = new RegExp(`\\.\\s*(${DELEGATE})\\s*\\??\\.\\s*(${METHOD})\\s*\\(`, "g");
// `const { order, lineItem: items } = tx` and `const orders = db.order;`: the names then stand for delegates.
const DESTRUCTURE = /(?:const|let|var)\s*\{([^}]*)\}\s*=/g;
const ALIAS = new RegExp(`(?:const|let|var)\\s+([\\w$]+)\\s*=\\s*[\\w$.()]*\\.\\s*(${DELEGATE})\\s*[;\\n]`, "g");
const SQL = new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\\s+"(${TABLES.join("|")})"`, "gi");

/** Every Prisma call and raw SQL table reference in `source` whose table `file` does not own. */
function findViolations(file: string, source: string): Violation[] {
  const { code, strings } = split(source);
  const lineOf = (offset: number) => source.slice(0, offset).split("\n").length;
  const found: { offset: number; table: string }[] = [];

  for (const m of code.matchAll(CALL)) found.push({ offset: m.index!, table: TABLE_OF_DELEGATE.get(m[1])! });

  const aliases = new Map<string, string>();
  for (const m of code.matchAll(DESTRUCTURE)) {
    for (const part of m[1].split(",")) {
      const [key, local] = part.split(":").map((s) => s.trim().split(/\s|=/)[0]);
      const table = TABLE_OF_DELEGATE.get(key);
      if (table) aliases.set(local || key, table);
    }
  }
  for (const m of code.matchAll(ALIAS)) aliases.set(m[1], TABLE_OF_DELEGATE.get(m[2])!);
  for (const [name, table] of aliases) {
    const bare = new RegExp(`(?<![\\w$.])${name.replace(/\$/g, "\\$")}\\s*\\??\\.\\s*(${METHOD})\\s*\\(`, "g");
    for (const m of code.matchAll(bare)) found.push({ offset: m.index!, table });
  }

  for (const m of strings.matchAll(SQL)) {
    const table = TABLES.find((t) => t === m[1]);
    if (table) found.push({ offset: m.index!, table });
  }

  return found
    .filter((f) => !isOwner(file, f.table))
    .map((f) => ({ file, line: lineOf(f.offset), table: f.table, owners: OWNERS[f.table] ?? [] }))
    .sort((a, b) => a.line - b.line);
}

function appFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return appFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const format = (v: Violation) => `${v.file}:${v.line} ${v.table} (owner: ${v.owners.join(", ")})`;

describe("data access: every table has one owner, and only its owner calls Prisma on it", () => {
  it("the owner map names every table of the schema, and only those", () => {
    expect(Object.keys(OWNERS).sort()).toEqual([...TABLES].sort());
  });

  it("no file under app/ calls Prisma or raw SQL on a table it does not own", () => {
    const violations = appFiles("app").flatMap((path) => {
      const file = relative(process.cwd(), path).split("\\").join("/");
      return findViolations(file, readFileSync(path, "utf8"));
    });
    const unexpected = violations.filter((v) => !KNOWN_VIOLATIONS.includes(`${v.file} ${v.table}`));
    if (unexpected.length) console.log(unexpected.map(format).join("\n"));
    expect(unexpected.map(format)).toEqual([]);
    // A listed exception that no longer happens is taken off the list.
    const stale = KNOWN_VIOLATIONS.filter((k) => !violations.some((v) => `${v.file} ${v.table}` === k));
    expect(stale).toEqual([]);
  });

  describe("the matcher (planted violations)", () => {
    const tables = (file: string, source: string) => findViolations(file, source).map((v) => `${v.line} ${v.table}`);

    it("finds calls on any client, across lines, through db() and this.db", () => {
      const source = [
        "export async function f(db: Db, tx: Tx, t: { db: Db }) {",
        "  await db.order.findMany({ where: { shop } });",
        "  await tx",
        "    .returnCase",
        "    .update({ where: { id }, data });",
        "  await db().shop.findUnique({ where: { shop } });",
        "  await t.db.loyaltyMember.count();",
        "  await this.db.customer.upsert({",
        "    where: { id },",
        "  });",
        "}",
      ].join("\n");
      expect(tables("app/routes/app.thing.tsx", source)).toEqual([
        "2 Order",
        "4 ReturnCase",
        "6 Shop",
        "7 LoyaltyMember",
        "8 Customer",
      ]);
    });

    it("finds calls through destructured and aliased delegates", () => {
      const source = [
        "const { order, lineItem: items } = tx;",
        "await order.findFirst({});",
        "await items.deleteMany({});",
        "const members = db.loyaltyMember;",
        "await members.findMany();",
      ].join("\n");
      expect(tables("app/services/dashboard/x.server.ts", source)).toEqual([
        "2 Order",
        "3 LineItem",
        "5 LoyaltyMember",
      ]);
    });

    it("finds raw SQL naming a table, and ignores comments and plain strings", () => {
      const source = [
        "// db.order.findMany( in a comment is not a call",
        "/* nor db.shop.update( here */",
        'const label = "db.order.findMany(";',
        'const rows = await rawRows(db, `SELECT * FROM "Order" WHERE "shop" = {}`, [shop]);',
        "await db.$executeRawUnsafe(",
        // a template literal with nested templates in its ${…} parts: code to scan, not a template here
        // eslint-disable-next-line no-template-curly-in-string -- source text to scan, not a template
        "  `INSERT INTO \"ReturnCase\" (\"id\") VALUES (${id ? `'${id}'` : 'x'})`,",
        ");",
        'const name = gid("Order", id); const re = /"/g; db.contactRequest.count();',
      ].join("\n");
      expect(tables("app/webhooks/handlers.server.ts", source)).toEqual([
        "4 Order",
        "6 ReturnCase",
        "8 ContactRequest",
      ]);
    });

    it("lets owners call their own tables, and compliance call any", () => {
      expect(tables("app/services/returns/desk.server.ts", "db.returnCase.update({})")).toEqual([]);
      expect(tables("app/models/returns.server.ts", "db.returnCaseLine.findMany({})")).toEqual([]);
      expect(tables("app/models/orders.server.ts", "db.order.findMany({})")).toEqual([]);
      expect(tables("app/services/compliance.server.ts", "db.loyaltyMember.deleteMany({})")).toEqual([]);
      expect(tables("app/services/returns/desk.server.ts", "db.order.findMany({})")).toEqual(["1 Order"]);
      expect(tables("app/models/tracking.server.ts", "db.notification.findMany({})")).toEqual(["1 Notification"]);
      expect(tables("app/models/tracking.server.ts", "db.order.findMany({})")).toEqual(["1 Order"]);
    });
  });
});
