-- DropIndex
DROP INDEX "ShipmentTracking_shop_orderShopifyId_idx";

-- CreateTable
CREATE TABLE "DashboardDay" (
    "shop" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "placed" INTEGER NOT NULL DEFAULT 0,
    "returned" INTEGER NOT NULL DEFAULT 0,
    "shipped" INTEGER NOT NULL DEFAULT 0,
    "deflected" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("shop", "day")
);

-- CreateTable
CREATE TABLE "DashboardRollupState" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "timeZone" TEXT NOT NULL,
    "countedTo" DATETIME NOT NULL,
    "fullAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ShipmentTracking_shop_orderShopifyId_shippedAt_idx" ON "ShipmentTracking"("shop", "orderShopifyId", "shippedAt");

