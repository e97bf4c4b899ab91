-- DropIndex
DROP INDEX "WebhookEvent_shop_status_idx";

-- DropIndex
DROP INDEX "Order_shop_customerShopifyId_idx";

-- DropIndex
DROP INDEX "Order_shop_shopifyCreatedAt_idx";

-- DropIndex
DROP INDEX "ShipmentTracking_shop_deliveredAt_idx";

-- DropIndex
DROP INDEX "LoyaltyMember_shop_customerShopifyId_idx";

-- DropIndex
DROP INDEX "LoyaltyMember_shop_points_idx";

-- CreateIndex
CREATE INDEX "WebhookEvent_shop_status_processedAt_idx" ON "WebhookEvent"("shop", "status", "processedAt");

-- CreateIndex
CREATE INDEX "Order_shop_customerShopifyId_shopifyCreatedAt_cancelledAt_idx" ON "Order"("shop", "customerShopifyId", "shopifyCreatedAt", "cancelledAt");

-- CreateIndex
CREATE INDEX "Order_shop_shopifyCreatedAt_cancelledAt_shopifyId_idx" ON "Order"("shop", "shopifyCreatedAt", "cancelledAt", "shopifyId");

-- CreateIndex
CREATE INDEX "ShipmentTracking_shop_orderShopifyId_idx" ON "ShipmentTracking"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "ShipmentTracking_shop_deliveredAt_carrier_destinationCountry_transitBusinessDays_deliveredOnTime_idx" ON "ShipmentTracking"("shop", "deliveredAt", "carrier", "destinationCountry", "transitBusinessDays", "deliveredOnTime");

-- CreateIndex
CREATE INDEX "Notification_shop_kind_createdAt_idx" ON "Notification"("shop", "kind", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_shop_kind_status_createdAt_idx" ON "Notification"("shop", "kind", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_shop_kind_status_sentAt_idx" ON "Notification"("shop", "kind", "status", "sentAt");

-- CreateIndex
CREATE INDEX "ReturnCase_shop_requestedAt_idx" ON "ReturnCase"("shop", "requestedAt");

-- CreateIndex
CREATE INDEX "ReturnCase_shop_resolvedAt_idx" ON "ReturnCase"("shop", "resolvedAt");

-- CreateIndex
CREATE INDEX "LoyaltyMember_shop_customerShopifyId_createdAt_idx" ON "LoyaltyMember"("shop", "customerShopifyId", "createdAt");

-- CreateIndex
CREATE INDEX "LoyaltyMember_shop_redactedAt_createdAt_idx" ON "LoyaltyMember"("shop", "redactedAt", "createdAt");

-- CreateIndex
CREATE INDEX "LoyaltyMember_shop_redactedAt_points_id_idx" ON "LoyaltyMember"("shop", "redactedAt", "points", "id");

-- CreateIndex
CREATE INDEX "LoyaltyLedgerEntry_shop_availableAt_points_idx" ON "LoyaltyLedgerEntry"("shop", "availableAt", "points");

-- CreateIndex
CREATE INDEX "ContactRequest_shop_firstResponseAt_firstResponseMinutes_idx" ON "ContactRequest"("shop", "firstResponseAt", "firstResponseMinutes");

-- CreateIndex
CREATE INDEX "TrackingViewDay_shop_day_views_idx" ON "TrackingViewDay"("shop", "day", "views");

