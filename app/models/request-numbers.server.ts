/**
 * Per-shop request numbers (REQ-1001, REQ-1002 …), shared by the contact form, chat and email.
 *
 * One statement takes the next number: it adds one to the shop's counter row and returns it
 * (INSERT … ON CONFLICT DO UPDATE … RETURNING, the same SQL on SQLite and PostgreSQL). Requests
 * started at the same moment each get their own number, however many there are: PostgreSQL
 * queues them on the counter row, SQLite writes one at a time. The first request of a shop
 * creates the row; a counter behind the shop's highest number (a request stored by other means)
 * catches up with it, so a number is never handed out twice.
 */
import type { Db, Tx } from "../db.server";

import { isSqlite, placeholders } from "./raw-sql.server";

export const FIRST_REQUEST_NUMBER = 1001;

export async function nextRequestNumber(db: Db | Tx, shop: string): Promise<number> {
  const client = db as Db;
  const [a, b] = placeholders(client, 2).split(", ");
  const greatest = isSqlite(client) ? "MAX" : "GREATEST";
  const rows = await client.$queryRawUnsafe<{ lastNumber: number | bigint }[]>(
    `INSERT INTO "ContactRequestCounter" ("shop", "lastNumber")
     VALUES (${a},
       COALESCE((SELECT MAX("number") FROM "ContactRequest" WHERE "shop" = ${b}), ${FIRST_REQUEST_NUMBER - 1}) + 1)
     ON CONFLICT ("shop") DO UPDATE
       SET "lastNumber" = ${greatest}("ContactRequestCounter"."lastNumber" + 1, excluded."lastNumber")
     RETURNING "lastNumber"`,
    shop,
    shop,
  );
  return Number(rows[0].lastNumber);
}
