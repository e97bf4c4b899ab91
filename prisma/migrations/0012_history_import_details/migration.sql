-- CreateTable
CREATE TABLE "HistoryImportPendingOrder" (
    "importId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    PRIMARY KEY ("importId", "orderShopifyId")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_HistoryImport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "windowDays" INTEGER NOT NULL,
    "since" DATETIME NOT NULL,
    "earnPoints" BOOLEAN NOT NULL DEFAULT false,
    "pass" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "resultUrl" TEXT,
    "ordersTotal" INTEGER,
    "objectsTotal" INTEGER,
    "linesApplied" INTEGER NOT NULL DEFAULT 0,
    "ordersImported" INTEGER NOT NULL DEFAULT 0,
    "detailsTotal" INTEGER,
    "detailsDone" INTEGER NOT NULL DEFAULT 0,
    "detailsAt" DATETIME,
    "error" TEXT,
    "leaseUntil" DATETIME,
    "startedAt" DATETIME NOT NULL,
    "applyingAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_HistoryImport" ("applyingAt", "bulkOperationId", "createdAt", "earnPoints", "error", "finishedAt", "id", "leaseUntil", "linesApplied", "objectsTotal", "ordersImported", "ordersTotal", "pass", "resultUrl", "shop", "since", "startedAt", "status", "trigger", "updatedAt", "windowDays") SELECT "applyingAt", "bulkOperationId", "createdAt", "earnPoints", "error", "finishedAt", "id", "leaseUntil", "linesApplied", "objectsTotal", "ordersImported", "ordersTotal", "pass", "resultUrl", "shop", "since", "startedAt", "status", "trigger", "updatedAt", "windowDays" FROM "HistoryImport";
DROP TABLE "HistoryImport";
ALTER TABLE "new_HistoryImport" RENAME TO "HistoryImport";
CREATE INDEX "HistoryImport_shop_createdAt_idx" ON "HistoryImport"("shop", "createdAt");
CREATE INDEX "HistoryImport_status_idx" ON "HistoryImport"("status");
CREATE INDEX "HistoryImport_bulkOperationId_idx" ON "HistoryImport"("bulkOperationId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "HistoryImportPendingOrder_importId_position_idx" ON "HistoryImportPendingOrder"("importId", "position");

-- CreateIndex
CREATE INDEX "HistoryImportPendingOrder_shop_idx" ON "HistoryImportPendingOrder"("shop");

