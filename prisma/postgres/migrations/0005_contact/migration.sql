-- CreateTable
CREATE TABLE "ContactSettings" (
    "shop" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactSettings_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "ContactRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "topic" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "orderName" TEXT,
    "orderShopifyId" TEXT,
    "customerShopifyId" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'en',
    "searchText" TEXT NOT NULL DEFAULT '',
    "lastMessageAt" TIMESTAMP(3) NOT NULL,
    "firstResponseAt" TIMESTAMP(3),
    "firstResponseMinutes" INTEGER,
    "closedAt" TIMESTAMP(3),
    "redactedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ContactRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ContactMessage" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "notificationId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ContactMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SurveyResponse" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "requestId" TEXT,
    "orderShopifyId" TEXT,
    "score" INTEGER,
    "comment" TEXT,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "answeredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SurveyResponse_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingViewDay" (
    "shop" TEXT NOT NULL,
    "orderShopifyId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "views" INTEGER NOT NULL DEFAULT 0,
    "firstViewedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrackingViewDay_pkey" PRIMARY KEY ("shop","orderShopifyId","day")
);

-- CreateIndex
CREATE INDEX "ContactRequest_shop_status_lastMessageAt_idx" ON "ContactRequest"("shop", "status", "lastMessageAt");

-- CreateIndex
CREATE INDEX "ContactRequest_shop_createdAt_idx" ON "ContactRequest"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "ContactRequest_shop_email_idx" ON "ContactRequest"("shop", "email");

-- CreateIndex
CREATE INDEX "ContactRequest_shop_orderShopifyId_idx" ON "ContactRequest"("shop", "orderShopifyId");

-- CreateIndex
CREATE UNIQUE INDEX "ContactRequest_shop_number_key" ON "ContactRequest"("shop", "number");

-- CreateIndex
CREATE INDEX "ContactMessage_requestId_createdAt_idx" ON "ContactMessage"("requestId", "createdAt");

-- CreateIndex
CREATE INDEX "ContactMessage_shop_idx" ON "ContactMessage"("shop");

-- CreateIndex
CREATE INDEX "SurveyResponse_shop_kind_answeredAt_idx" ON "SurveyResponse"("shop", "kind", "answeredAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_shop_kind_subjectId_key" ON "SurveyResponse"("shop", "kind", "subjectId");

-- CreateIndex
CREATE INDEX "TrackingViewDay_shop_firstViewedAt_idx" ON "TrackingViewDay"("shop", "firstViewedAt");

-- AddForeignKey
ALTER TABLE "ContactMessage" ADD CONSTRAINT "ContactMessage_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "ContactRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

