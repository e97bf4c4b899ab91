-- AlterTable
ALTER TABLE "HistoryImport" ADD COLUMN     "detailsAt" TIMESTAMP(3),
ADD COLUMN     "detailsDone" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "detailsTotal" INTEGER;

-- CreateTable
CREATE TABLE "HistoryImportPendingOrder" (
    "importId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,

    CONSTRAINT "HistoryImportPendingOrder_pkey" PRIMARY KEY ("importId","orderShopifyId")
);

-- CreateIndex
CREATE INDEX "HistoryImportPendingOrder_importId_position_idx" ON "HistoryImportPendingOrder"("importId", "position");

-- CreateIndex
CREATE INDEX "HistoryImportPendingOrder_shop_idx" ON "HistoryImportPendingOrder"("shop");

