-- CreateTable
CREATE TABLE "HistoryImport" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "windowDays" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "earnPoints" BOOLEAN NOT NULL DEFAULT false,
    "pass" INTEGER NOT NULL DEFAULT 0,
    "bulkOperationId" TEXT,
    "resultUrl" TEXT,
    "ordersTotal" INTEGER,
    "objectsTotal" INTEGER,
    "linesApplied" INTEGER NOT NULL DEFAULT 0,
    "ordersImported" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL,
    "applyingAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HistoryImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HistoryImportSettings" (
    "shop" TEXT NOT NULL,
    "windowDays" INTEGER NOT NULL DEFAULT 90,
    "pastOrdersEarnPoints" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HistoryImportSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "HistoryImport_shop_createdAt_idx" ON "HistoryImport"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "HistoryImport_status_idx" ON "HistoryImport"("status");

-- CreateIndex
CREATE INDEX "HistoryImport_bulkOperationId_idx" ON "HistoryImport"("bulkOperationId");

