-- AlterTable
ALTER TABLE "ContactRequest" ADD COLUMN     "shopperSeenAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "StaffMember" ADD COLUMN     "chatAvailable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "chatSeenAt" TIMESTAMP(3),
ADD COLUMN     "displayName" TEXT,
ADD COLUMN     "photoId" TEXT;

-- AlterTable
ALTER TABLE "SurveyResponse" ADD COLUMN     "channel" TEXT;

-- CreateTable
CREATE TABLE "StaffPhoto" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StaffPhoto_shop_userId_idx" ON "StaffPhoto"("shop", "userId");

-- CreateIndex
CREATE INDEX "StaffMember_shop_chatAvailable_chatSeenAt_idx" ON "StaffMember"("shop", "chatAvailable", "chatSeenAt");


-- Satisfaction answers already given are marked with their request's channel.
UPDATE "SurveyResponse" SET "channel" = (
    SELECT r."channel" FROM "ContactRequest" r WHERE r."id" = "SurveyResponse"."requestId"
) WHERE "kind" = 'csat' AND "requestId" IS NOT NULL;
