/**
 * The admin's long lists come in pages (keyset, 50 a page) through the real route modules with real
 * Requests; only the embedded-admin session check is stood in for. Paging forward and back gives
 * every row once, in order; a filter pages within itself; the notification log carries no email
 * bodies but the one opened.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { createTestDatabase, type TestDatabase } from "../../tests/helpers/db";

const SHOP = "paging.myshopify.com";
vi.mock("../shopify.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("../shopify.server")>();
  return {
    ...real,
    authenticate: { ...real.authenticate, admin: async () => ({ session: { shop: SHOP }, admin: {} }) },
  };
});

type Loader = (args: { request: Request; params: object; context: object }) => Promise<Response>;
let t: TestDatabase;
let notifications: { loader: Loader };
let inbox: { loader: Loader };
let desk: { loader: Loader };

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 0, minute));

beforeAll(async () => {
  t = await createTestDatabase();
  process.env.DATABASE_URL = t.url;
  notifications = (await import("./app.tracking.notifications")) as never;
  inbox = (await import("./app.inbox._index")) as never;
  desk = (await import("./app.returns._index")) as never;
  await t.db.shop.create({ data: { domain: SHOP, name: "Paging", ianaTimezone: "UTC" } });
  // 120 tracking emails, one a minute; every 10th failed. Emails 70 and 71 share a minute, at the
  // edge of the first page (a tie on the sort key).
  for (let n = 1; n <= 120; n++) {
    await t.db.notification.create({
      data: {
        shop: SHOP,
        kind: "tracking",
        subjectId: `f${n}`,
        milestone: "shipped",
        subject: `Email ${n}`,
        bodyHtml: `<p>Body ${n}</p>`,
        bodyText: `Body ${n}`,
        status: n % 10 === 0 ? "failed" : "sent",
        createdAt: at(n === 70 ? 71 : n),
      },
    });
  }
  await t.db.notification.create({
    data: {
      shop: "other.myshopify.com",
      kind: "tracking",
      subjectId: "x",
      milestone: "shipped",
      subject: "Not ours",
      bodyHtml: "",
      bodyText: "",
    },
  });
  // 60 returns, one a minute; every third still requested.
  for (let n = 1; n <= 60; n++) {
    await t.db.returnCase.create({
      data: {
        shop: SHOP,
        number: `R${n}`,
        idempotencyKey: `k${n}`,
        orderShopifyId: `gid://shopify/Order/${n}`,
        orderName: `#${n}`,
        status: n % 3 === 0 ? "requested" : "closed",
        resolution: "refund",
        currency: "USD",
        itemsMinor: 1000,
        resolutionMinor: 1000,
        requestedAt: at(n),
      },
    });
  }
  // 60 open requests, oldest message first.
  for (let n = 1; n <= 60; n++) {
    await t.db.contactRequest.create({
      data: { shop: SHOP, number: n, topic: "other", status: "open", lastMessageAt: at(n), createdAt: at(n) },
    });
  }
});
afterAll(async () => {
  await t.drop();
});

async function open<T>(route: { loader: Loader }, path: string): Promise<T> {
  const response = await route.loader({ request: new Request(`https://app.test${path}`), params: {}, context: {} });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

interface LogPage {
  rows: { id: string; subject: string; status: string; html?: string }[];
  next: string | null;
  previous: string | null;
  email: { subject: string; html: string } | null;
}

describe("the notification log in pages", () => {
  it("pages through every email once, newest first, and back", async () => {
    const first = await open<LogPage>(notifications, "/app/tracking/notifications");
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0].subject).toBe("Email 120");
    expect(first.previous).toBeNull();
    expect(first.rows.some((r) => "html" in r)).toBe(false);
    const second = await open<LogPage>(notifications, `/app/tracking/notifications?after=${first.next}`);
    const third = await open<LogPage>(notifications, `/app/tracking/notifications?after=${second.next}`);
    expect(third.rows).toHaveLength(20);
    expect(third.next).toBeNull();
    const subjects = [...first.rows, ...second.rows, ...third.rows].map((r) => r.subject);
    expect(new Set(subjects).size).toBe(120);
    expect(subjects.at(-1)).toBe("Email 1");
    const back = await open<LogPage>(notifications, `/app/tracking/notifications?before=${third.previous}`);
    expect(back.rows.map((r) => r.subject)).toEqual(second.rows.map((r) => r.subject));
    expect(back.next).not.toBeNull();
  });

  it("a status filter pages within itself", async () => {
    const failed = await open<LogPage>(notifications, "/app/tracking/notifications?status=failed");
    expect(failed.rows.map((r) => r.subject)).toEqual(Array.from({ length: 12 }, (_, i) => `Email ${120 - i * 10}`));
    expect(failed.next).toBeNull();
  });

  it("the email opened is the only body sent, and only this shop's", async () => {
    const first = await open<LogPage>(notifications, "/app/tracking/notifications");
    const id = first.rows[3].id;
    const opened = await open<LogPage>(notifications, `/app/tracking/notifications?email=${id}`);
    expect(opened.email).toEqual({ id, subject: "Email 117", html: "<p>Body 117</p>" });
    const theirs = await t.db.notification.findFirstOrThrow({ where: { shop: "other.myshopify.com" } });
    expect((await open<LogPage>(notifications, `/app/tracking/notifications?email=${theirs.id}`)).email).toBeNull();
  });
});

describe("the inbox in pages", () => {
  it("open requests oldest first, 50 then 10", async () => {
    interface InboxPage {
      requests: { number: number }[];
      next: string | null;
      previous: string | null;
    }
    const first = await open<InboxPage>(inbox, "/app/inbox");
    expect(first.requests.map((r) => r.number)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const second = await open<InboxPage>(inbox, `/app/inbox?after=${first.next}`);
    expect(second.requests.map((r) => r.number)).toEqual([51, 52, 53, 54, 55, 56, 57, 58, 59, 60]);
    expect([second.next, second.previous === null]).toEqual([null, false]);
    // A cursor that is not one of ours is the first page, not an error.
    expect((await open<InboxPage>(inbox, "/app/inbox?after=garbage")).requests[0].number).toBe(1);
  });
});

describe("the returns desk in pages", () => {
  interface DeskPage {
    rows: { number: string }[];
    next: string | null;
    previous: string | null;
    counts: Record<string, number>;
  }
  it("newest first, 50 then 10, and a status pages within itself", async () => {
    const first = await open<DeskPage>(desk, "/app/returns");
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0].number).toBe("R60");
    const second = await open<DeskPage>(desk, `/app/returns?after=${first.next}`);
    expect(second.rows.map((r) => r.number)).toEqual(["R10", "R9", "R8", "R7", "R6", "R5", "R4", "R3", "R2", "R1"]);
    expect(second.next).toBeNull();
    const requested = await open<DeskPage>(desk, "/app/returns?status=requested");
    expect(requested.rows).toHaveLength(20);
    expect(requested.counts.requested).toBe(20);
  });
});
