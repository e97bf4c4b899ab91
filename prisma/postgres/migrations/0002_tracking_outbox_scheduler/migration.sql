-- CreateTable
CREATE TABLE "TrackingSettings" (
    "shop" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackingSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ShipmentTracking" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "fulfillmentShopifyId" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "orderName" TEXT NOT NULL,
    "carrier" TEXT,
    "trackingNumber" TEXT,
    "destinationCountry" TEXT,
    "stage" TEXT NOT NULL,
    "shippedAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "lastScanAt" TIMESTAMP(3),
    "transitBusinessDays" INTEGER,
    "estimatedBy" TEXT,
    "estimateSource" TEXT,
    "deliveredOnTime" BOOLEAN,
    "problem" TEXT,
    "problemReason" TEXT,
    "problemSince" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShipmentTracking_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingRecommendationCache" (
    "shop" TEXT NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "products" TEXT NOT NULL,
    "fetchedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrackingRecommendationCache_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "milestone" TEXT NOT NULL,
    "channel" TEXT NOT NULL DEFAULT 'email',
    "recipient" TEXT,
    "fromName" TEXT,
    "replyTo" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "subject" TEXT NOT NULL,
    "bodyHtml" TEXT NOT NULL,
    "bodyText" TEXT NOT NULL,
    "orderShopifyId" TEXT,
    "customerShopifyId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "providerMessageId" TEXT,
    "sentAt" TIMESTAMP(3),
    "redactedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailSuppression" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT 'unsubscribed',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailSuppression_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RateLimitWindow" (
    "key" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimitWindow_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ScheduledTask" (
    "name" TEXT NOT NULL,
    "nextRunAt" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScheduledTask_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "ShipmentTracking_shop_problem_idx" ON "ShipmentTracking"("shop", "problem");

-- CreateIndex
CREATE INDEX "ShipmentTracking_shop_carrier_destinationCountry_deliveredA_idx" ON "ShipmentTracking"("shop", "carrier", "destinationCountry", "deliveredAt");

-- CreateIndex
CREATE INDEX "ShipmentTracking_shop_deliveredAt_idx" ON "ShipmentTracking"("shop", "deliveredAt");

-- CreateIndex
CREATE INDEX "ShipmentTracking_deliveredAt_stage_idx" ON "ShipmentTracking"("deliveredAt", "stage");

-- CreateIndex
CREATE UNIQUE INDEX "ShipmentTracking_shop_fulfillmentShopifyId_key" ON "ShipmentTracking"("shop", "fulfillmentShopifyId");

-- CreateIndex
CREATE INDEX "Notification_status_nextAttemptAt_idx" ON "Notification"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Notification_shop_createdAt_idx" ON "Notification"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_shop_recipient_idx" ON "Notification"("shop", "recipient");

-- CreateIndex
CREATE INDEX "Notification_shop_orderShopifyId_idx" ON "Notification"("shop", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_shop_kind_subjectId_milestone_key" ON "Notification"("shop", "kind", "subjectId", "milestone");

-- CreateIndex
CREATE UNIQUE INDEX "EmailSuppression_shop_email_kind_key" ON "EmailSuppression"("shop", "email", "kind");

-- CreateIndex
CREATE INDEX "RateLimitWindow_expiresAt_idx" ON "RateLimitWindow"("expiresAt");

-- CreateIndex
CREATE INDEX "RateLimitWindow_shop_idx" ON "RateLimitWindow"("shop");

