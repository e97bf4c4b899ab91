-- AlterTable
ALTER TABLE "ContactRequest" ADD COLUMN     "handedOverAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ContactMessage" ADD COLUMN     "payload" TEXT;

