-- CreateTable
CREATE TABLE "LoyaltySettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "settings" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LoyaltyReward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "pointsCost" INTEGER NOT NULL,
    "valueMinor" INTEGER,
    "percentOff" INTEGER,
    "minimumOrderMinor" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LoyaltyMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "customerShopifyId" TEXT,
    "email" TEXT,
    "points" INTEGER NOT NULL DEFAULT 0,
    "lifetimePoints" INTEGER NOT NULL DEFAULT 0,
    "tierKey" TEXT,
    "spend12mMinor" INTEGER NOT NULL DEFAULT 0,
    "birthdayMonth" INTEGER,
    "birthdayDay" INTEGER,
    "lastActivityAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "version" INTEGER NOT NULL DEFAULT 0,
    "redactedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LoyaltyLedgerEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "availableAt" DATETIME NOT NULL,
    "orderShopifyId" TEXT,
    "reason" TEXT,
    "actor" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "LoyaltyOrder" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "basisMinor" INTEGER NOT NULL,
    "linesMinor" INTEGER NOT NULL,
    "refundedMinor" INTEGER NOT NULL DEFAULT 0,
    "pointsEarned" INTEGER NOT NULL,
    "pointsReversed" INTEGER NOT NULL DEFAULT 0,
    "paidAt" DATETIME NOT NULL,
    "availableAt" DATETIME NOT NULL,
    "cancelledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "LoyaltyRedemption" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "memberId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "rewardTitle" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "code" TEXT,
    "discountShopifyId" TEXT,
    "valueMinor" INTEGER,
    "currency" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "LoyaltyReward_shop_active_pointsCost_idx" ON "LoyaltyReward"("shop", "active", "pointsCost");

-- CreateIndex
CREATE INDEX "LoyaltyMember_shop_customerShopifyId_idx" ON "LoyaltyMember"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "LoyaltyMember_shop_email_idx" ON "LoyaltyMember"("shop", "email");

-- CreateIndex
CREATE INDEX "LoyaltyMember_shop_points_idx" ON "LoyaltyMember"("shop", "points");

-- CreateIndex
CREATE INDEX "LoyaltyMember_shop_tierKey_idx" ON "LoyaltyMember"("shop", "tierKey");

-- CreateIndex
CREATE INDEX "LoyaltyMember_shop_lastActivityAt_idx" ON "LoyaltyMember"("shop", "lastActivityAt");

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyMember_shop_key_key" ON "LoyaltyMember"("shop", "key");

-- CreateIndex
CREATE INDEX "LoyaltyLedgerEntry_memberId_availableAt_idx" ON "LoyaltyLedgerEntry"("memberId", "availableAt");

-- CreateIndex
CREATE INDEX "LoyaltyLedgerEntry_memberId_createdAt_idx" ON "LoyaltyLedgerEntry"("memberId", "createdAt");

-- CreateIndex
CREATE INDEX "LoyaltyLedgerEntry_shop_createdAt_idx" ON "LoyaltyLedgerEntry"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyLedgerEntry_shop_sourceKey_key" ON "LoyaltyLedgerEntry"("shop", "sourceKey");

-- CreateIndex
CREATE INDEX "LoyaltyOrder_memberId_paidAt_idx" ON "LoyaltyOrder"("memberId", "paidAt");

-- CreateIndex
CREATE UNIQUE INDEX "LoyaltyOrder_shop_orderShopifyId_key" ON "LoyaltyOrder"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "LoyaltyRedemption_shop_memberId_createdAt_idx" ON "LoyaltyRedemption"("shop", "memberId", "createdAt");

