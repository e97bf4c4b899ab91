-- AlterTable
ALTER TABLE "ContactMessage" ADD COLUMN "clientId" TEXT;
ALTER TABLE "ContactMessage" ADD COLUMN "deliveredAt" DATETIME;
ALTER TABLE "ContactMessage" ADD COLUMN "seq" INTEGER;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ContactRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "topic" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "orderName" TEXT,
    "orderShopifyId" TEXT,
    "customerShopifyId" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "searchText" TEXT NOT NULL DEFAULT '',
    "lastMessageAt" DATETIME NOT NULL,
    "firstResponseAt" DATETIME,
    "firstResponseMinutes" INTEGER,
    "closedAt" DATETIME,
    "redactedAt" DATETIME,
    "assigneeUserId" TEXT,
    "channel" TEXT NOT NULL DEFAULT 'form',
    "chatSeq" INTEGER NOT NULL DEFAULT 0,
    "chatVisitor" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ContactRequest" ("assigneeUserId", "closedAt", "createdAt", "customerShopifyId", "email", "firstResponseAt", "firstResponseMinutes", "id", "lastMessageAt", "locale", "name", "number", "orderName", "orderShopifyId", "redactedAt", "searchText", "shop", "status", "topic", "updatedAt") SELECT "assigneeUserId", "closedAt", "createdAt", "customerShopifyId", "email", "firstResponseAt", "firstResponseMinutes", "id", "lastMessageAt", "locale", "name", "number", "orderName", "orderShopifyId", "redactedAt", "searchText", "shop", "status", "topic", "updatedAt" FROM "ContactRequest";
DROP TABLE "ContactRequest";
ALTER TABLE "new_ContactRequest" RENAME TO "ContactRequest";
CREATE INDEX "ContactRequest_shop_status_lastMessageAt_idx" ON "ContactRequest"("shop", "status", "lastMessageAt");
CREATE INDEX "ContactRequest_shop_createdAt_idx" ON "ContactRequest"("shop", "createdAt");
CREATE INDEX "ContactRequest_shop_firstResponseAt_firstResponseMinutes_idx" ON "ContactRequest"("shop", "firstResponseAt", "firstResponseMinutes");
CREATE INDEX "ContactRequest_shop_email_idx" ON "ContactRequest"("shop", "email");
CREATE INDEX "ContactRequest_shop_orderShopifyId_topic_idx" ON "ContactRequest"("shop", "orderShopifyId", "topic");
CREATE INDEX "ContactRequest_shop_assigneeUserId_status_lastMessageAt_idx" ON "ContactRequest"("shop", "assigneeUserId", "status", "lastMessageAt");
CREATE INDEX "ContactRequest_shop_chatVisitor_status_idx" ON "ContactRequest"("shop", "chatVisitor", "status");
CREATE INDEX "ContactRequest_shop_channel_status_lastMessageAt_idx" ON "ContactRequest"("shop", "channel", "status", "lastMessageAt");
CREATE UNIQUE INDEX "ContactRequest_shop_number_key" ON "ContactRequest"("shop", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ContactMessage_requestId_seq_key" ON "ContactMessage"("requestId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "ContactMessage_requestId_clientId_key" ON "ContactMessage"("requestId", "clientId");

