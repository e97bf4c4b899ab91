/**
 * SQL text the database client itself runs (app/db.server.ts), kept here with the tables' owner
 * (docs/decisions/0021). No imports: db.server.ts imports this, and every other model imports it.
 */

/**
 * A statement that writes nothing but takes SQLite's write lock at the start of a transaction, so
 * a transaction never upgrades from reader to writer half-way (db.server.ts says why).
 */
export const SQLITE_TAKE_WRITE_LOCK = `UPDATE "Session" SET "id" = "id" WHERE 0`;

const INBOX_INSERT_COLUMNS =
  `"id", "shop", "topic", "webhookId", "eventId", "apiVersion", "triggeredAt", "payload", "status", "attempts", ` +
  `"nextAttemptAt", "receivedAt"`;

/** The webhook intake's insert on SQLite: a payload given as bytes binds as a blob; CAST stores it as text. */
export const SQLITE_INBOX_INSERT = `INSERT INTO "WebhookEvent" (${INBOX_INSERT_COLUMNS})
         VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS TEXT), 'pending', 0, ?, ?)
         ON CONFLICT ("webhookId") DO NOTHING`;

/** The webhook intake's insert on PostgreSQL. */
export const POSTGRES_INBOX_INSERT = `INSERT INTO "WebhookEvent" (${INBOX_INSERT_COLUMNS})
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $10)
               ON CONFLICT ("webhookId") DO NOTHING`;
