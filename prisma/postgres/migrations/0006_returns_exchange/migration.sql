-- AlterTable
ALTER TABLE "ReturnCase" ADD COLUMN     "exchangeMinor" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ReturnCaseLine" ADD COLUMN     "exchangeProductShopifyId" TEXT,
ADD COLUMN     "exchangeUnitPriceMinor" INTEGER,
ADD COLUMN     "replacementLineItemShopifyId" TEXT,
ADD COLUMN     "shopifyExchangeLineItemId" TEXT;

