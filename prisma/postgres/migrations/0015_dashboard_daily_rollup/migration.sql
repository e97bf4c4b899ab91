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

    CONSTRAINT "DashboardDay_pkey" PRIMARY KEY ("shop","day")
);

-- CreateTable
CREATE TABLE "DashboardRollupState" (
    "shop" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "countedTo" TIMESTAMP(3) NOT NULL,
    "fullAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DashboardRollupState_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "ShipmentTracking_shop_orderShopifyId_shippedAt_idx" ON "ShipmentTracking"("shop", "orderShopifyId", "shippedAt");

