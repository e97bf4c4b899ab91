-- CreateTable
CREATE TABLE "MemberMetafieldSync" (
    "memberId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "changes" INTEGER NOT NULL DEFAULT 0,
    "dueAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentValues" TEXT,
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MemberMetafieldSync_pkey" PRIMARY KEY ("memberId")
);

-- CreateIndex
CREATE INDEX "MemberMetafieldSync_dueAt_idx" ON "MemberMetafieldSync"("dueAt");

-- CreateIndex
CREATE INDEX "MemberMetafieldSync_shop_idx" ON "MemberMetafieldSync"("shop");

