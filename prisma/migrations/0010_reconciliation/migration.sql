-- CreateTable
CREATE TABLE "ReconciliationState" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "cursor" DATETIME,
    "leaseUntil" DATETIME,
    "lastStartedAt" DATETIME,
    "lastFinishedAt" DATETIME,
    "lastTrigger" TEXT,
    "lastError" TEXT,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "ordersCreated" INTEGER NOT NULL DEFAULT 0,
    "ordersUpdated" INTEGER NOT NULL DEFAULT 0,
    "shipmentsFound" INTEGER NOT NULL DEFAULT 0,
    "scansFound" INTEGER NOT NULL DEFAULT 0,
    "refundsFound" INTEGER NOT NULL DEFAULT 0,
    "returnsFound" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

