-- Returns' webhooks in any order (decision 0038): when Shopify opened a return, and the request a
-- customer-account exchange replaced.
-- AlterTable
ALTER TABLE "ShopifyReturn" ADD COLUMN     "approvedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ReturnCase" ADD COLUMN     "replacedShopifyReturnId" TEXT;

-- CreateIndex
CREATE INDEX "ReturnCase_shop_replacedShopifyReturnId_idx" ON "ReturnCase"("shop", "replacedShopifyReturnId");
