-- DropIndex
DROP INDEX "Notification_shop_orderShopifyId_idx";

-- DropIndex
DROP INDEX "ContactRequest_shop_orderShopifyId_idx";

-- CreateIndex
CREATE INDEX "ShipmentTracking_shop_shippedAt_orderShopifyId_idx" ON "ShipmentTracking"("shop", "shippedAt", "orderShopifyId");

-- CreateIndex
CREATE INDEX "Notification_shop_orderShopifyId_kind_status_idx" ON "Notification"("shop", "orderShopifyId", "kind", "status");

-- CreateIndex
CREATE INDEX "ContactRequest_shop_orderShopifyId_topic_idx" ON "ContactRequest"("shop", "orderShopifyId", "topic");

