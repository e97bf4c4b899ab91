-- AlterTable
ALTER TABLE "ReturnCaseLine" ADD COLUMN "exchangeProductShopifyId" TEXT;
ALTER TABLE "ReturnCaseLine" ADD COLUMN "exchangeUnitPriceMinor" INTEGER;
ALTER TABLE "ReturnCaseLine" ADD COLUMN "replacementLineItemShopifyId" TEXT;
ALTER TABLE "ReturnCaseLine" ADD COLUMN "shopifyExchangeLineItemId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReturnCase" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "email" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "status" TEXT NOT NULL,
    "resolution" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "itemsMinor" INTEGER NOT NULL,
    "restockingFeeMinor" INTEGER NOT NULL DEFAULT 0,
    "shippingFeeMinor" INTEGER NOT NULL DEFAULT 0,
    "bonusMinor" INTEGER NOT NULL DEFAULT 0,
    "resolutionMinor" INTEGER NOT NULL,
    "exchangeMinor" INTEGER NOT NULL DEFAULT 0,
    "autoApproved" BOOLEAN NOT NULL DEFAULT false,
    "declineReason" TEXT,
    "declineNote" TEXT,
    "shopifyReturnId" TEXT,
    "shopifyReturnName" TEXT,
    "shopifyStatus" TEXT,
    "syncError" TEXT,
    "requestedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approvedAt" DATETIME,
    "declinedAt" DATETIME,
    "receivedAt" DATETIME,
    "resolvedAt" DATETIME,
    "closedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ReturnCase" ("approvedAt", "autoApproved", "bonusMinor", "closedAt", "createdAt", "currency", "customerShopifyId", "declineNote", "declineReason", "declinedAt", "email", "id", "idempotencyKey", "itemsMinor", "locale", "number", "orderName", "orderShopifyId", "receivedAt", "requestedAt", "resolution", "resolutionMinor", "resolvedAt", "restockingFeeMinor", "shippingFeeMinor", "shop", "shopifyReturnId", "shopifyReturnName", "shopifyStatus", "status", "syncError", "updatedAt") SELECT "approvedAt", "autoApproved", "bonusMinor", "closedAt", "createdAt", "currency", "customerShopifyId", "declineNote", "declineReason", "declinedAt", "email", "id", "idempotencyKey", "itemsMinor", "locale", "number", "orderName", "orderShopifyId", "receivedAt", "requestedAt", "resolution", "resolutionMinor", "resolvedAt", "restockingFeeMinor", "shippingFeeMinor", "shop", "shopifyReturnId", "shopifyReturnName", "shopifyStatus", "status", "syncError", "updatedAt" FROM "ReturnCase";
DROP TABLE "ReturnCase";
ALTER TABLE "new_ReturnCase" RENAME TO "ReturnCase";
CREATE INDEX "ReturnCase_shop_status_requestedAt_idx" ON "ReturnCase"("shop", "status", "requestedAt");
CREATE INDEX "ReturnCase_shop_orderShopifyId_idx" ON "ReturnCase"("shop", "orderShopifyId");
CREATE INDEX "ReturnCase_shop_customerShopifyId_idx" ON "ReturnCase"("shop", "customerShopifyId");
CREATE INDEX "ReturnCase_shop_shopifyReturnId_idx" ON "ReturnCase"("shop", "shopifyReturnId");
CREATE UNIQUE INDEX "ReturnCase_shop_idempotencyKey_key" ON "ReturnCase"("shop", "idempotencyKey");
CREATE UNIQUE INDEX "ReturnCase_shop_number_key" ON "ReturnCase"("shop", "number");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

