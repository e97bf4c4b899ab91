-- CreateTable
CREATE TABLE "MemberMetafieldSync" (
    "memberId" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "changes" INTEGER NOT NULL DEFAULT 0,
    "dueAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentValues" TEXT,
    "lastError" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "MemberMetafieldSync_dueAt_idx" ON "MemberMetafieldSync"("dueAt");

-- CreateIndex
CREATE INDEX "MemberMetafieldSync_shop_idx" ON "MemberMetafieldSync"("shop");

