-- CreateTable
CREATE TABLE "ReconciliationState" (
    "shop" TEXT NOT NULL,
    "cursor" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),
    "lastStartedAt" TIMESTAMP(3),
    "lastFinishedAt" TIMESTAMP(3),
    "lastTrigger" TEXT,
    "lastError" TEXT,
    "ordersSeen" INTEGER NOT NULL DEFAULT 0,
    "ordersCreated" INTEGER NOT NULL DEFAULT 0,
    "ordersUpdated" INTEGER NOT NULL DEFAULT 0,
    "shipmentsFound" INTEGER NOT NULL DEFAULT 0,
    "scansFound" INTEGER NOT NULL DEFAULT 0,
    "refundsFound" INTEGER NOT NULL DEFAULT 0,
    "returnsFound" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReconciliationState_pkey" PRIMARY KEY ("shop")
);

