-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN     "outcome" TEXT;

-- AlterTable
ALTER TABLE "SurveyResponse" ADD COLUMN     "changedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RedactedShop" (
    "domain" TEXT NOT NULL,
    "redactedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RedactedShop_pkey" PRIMARY KEY ("domain")
);

