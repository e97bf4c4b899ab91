-- CreateTable
CREATE TABLE "HistoryImport" (
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
    "error" TEXT,
    "leaseUntil" DATETIME,
    "startedAt" DATETIME NOT NULL,
    "applyingAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HistoryImportSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "windowDays" INTEGER NOT NULL DEFAULT 90,
    "pastOrdersEarnPoints" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "HistoryImport_shop_createdAt_idx" ON "HistoryImport"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "HistoryImport_status_idx" ON "HistoryImport"("status");

-- CreateIndex
CREATE INDEX "HistoryImport_bulkOperationId_idx" ON "HistoryImport"("bulkOperationId");

