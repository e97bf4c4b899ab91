-- AlterTable
ALTER TABLE "WebhookEvent" ADD COLUMN "outcome" TEXT;

-- AlterTable
ALTER TABLE "SurveyResponse" ADD COLUMN "changedAt" DATETIME;

-- CreateTable
CREATE TABLE "RedactedShop" (
    "domain" TEXT NOT NULL PRIMARY KEY,
    "redactedAt" DATETIME NOT NULL
);

