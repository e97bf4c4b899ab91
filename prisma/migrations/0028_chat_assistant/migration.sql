-- AlterTable
ALTER TABLE "ContactRequest" ADD COLUMN "handedOverAt" DATETIME;

-- AlterTable
ALTER TABLE "ContactMessage" ADD COLUMN "payload" TEXT;

