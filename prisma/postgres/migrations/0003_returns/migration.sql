-- CreateTable
CREATE TABLE "ReturnSettings" (
    "shop" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReturnSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ReturnCase" (
    "id" TEXT NOT NULL,
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
    "autoApproved" BOOLEAN NOT NULL DEFAULT false,
    "declineReason" TEXT,
    "declineNote" TEXT,
    "shopifyReturnId" TEXT,
    "shopifyReturnName" TEXT,
    "shopifyStatus" TEXT,
    "syncError" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "approvedAt" TIMESTAMP(3),
    "declinedAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReturnCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnCaseLine" (
    "id" TEXT NOT NULL,
    "returnCaseId" TEXT NOT NULL,
    "lineItemShopifyId" TEXT NOT NULL,
    "productShopifyId" TEXT,
    "variantShopifyId" TEXT,
    "title" TEXT NOT NULL,
    "variantTitle" TEXT,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT,
    "exchangeVariantShopifyId" TEXT,
    "exchangeTitle" TEXT,
    "disposition" TEXT,
    "shopifyReturnLineItemId" TEXT,

    CONSTRAINT "ReturnCaseLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReturnLineClaim" (
    "shop" TEXT NOT NULL,
    "lineItemShopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "claimed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ReturnLineClaim_pkey" PRIMARY KEY ("shop","lineItemShopifyId")
);

-- CreateIndex
CREATE INDEX "ReturnCase_shop_status_requestedAt_idx" ON "ReturnCase"("shop", "status", "requestedAt");

-- CreateIndex
CREATE INDEX "ReturnCase_shop_orderShopifyId_idx" ON "ReturnCase"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "ReturnCase_shop_customerShopifyId_idx" ON "ReturnCase"("shop", "customerShopifyId");

-- CreateIndex
CREATE INDEX "ReturnCase_shop_shopifyReturnId_idx" ON "ReturnCase"("shop", "shopifyReturnId");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnCase_shop_idempotencyKey_key" ON "ReturnCase"("shop", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "ReturnCase_shop_number_key" ON "ReturnCase"("shop", "number");

-- CreateIndex
CREATE INDEX "ReturnCaseLine_returnCaseId_idx" ON "ReturnCaseLine"("returnCaseId");

-- CreateIndex
CREATE INDEX "ReturnLineClaim_shop_orderShopifyId_idx" ON "ReturnLineClaim"("shop", "orderShopifyId");

-- AddForeignKey
ALTER TABLE "ReturnCaseLine" ADD CONSTRAINT "ReturnCaseLine_returnCaseId_fkey" FOREIGN KEY ("returnCaseId") REFERENCES "ReturnCase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

