-- CreateTable
CREATE TABLE "AppEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "orderShopifyId" TEXT,
    "customerShopifyId" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AppEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventDelivery" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AppEvent_shop_createdAt_idx" ON "AppEvent"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "AppEvent_shop_customerShopifyId_idx" ON "AppEvent"("shop", "customerShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "AppEvent_shop_type_key_key" ON "AppEvent"("shop", "type", "key");

-- CreateIndex
CREATE INDEX "EventDelivery_status_nextAttemptAt_idx" ON "EventDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "EventDelivery_shop_destination_status_createdAt_idx" ON "EventDelivery"("shop", "destination", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "EventDelivery_eventId_destination_key" ON "EventDelivery"("eventId", "destination");

-- AddForeignKey
ALTER TABLE "EventDelivery" ADD CONSTRAINT "EventDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "AppEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

