-- CreateTable
CREATE TABLE "SmsSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "settings" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SmsOptOut" (
    "shop" TEXT NOT NULL,
    "phoneHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "phoneHash")
);

-- CreateTable
CREATE TABLE "SmsMessage" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "orderShopifyId" TEXT,
    "to" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "segments" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'sending',
    "providerSid" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "SmsMessage_eventId_key" ON "SmsMessage"("eventId");

-- CreateIndex
CREATE INDEX "SmsMessage_shop_createdAt_idx" ON "SmsMessage"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "SmsMessage_shop_orderShopifyId_idx" ON "SmsMessage"("shop", "orderShopifyId");

-- CreateIndex
CREATE INDEX "AppEvent_createdAt_idx" ON "AppEvent"("createdAt");

