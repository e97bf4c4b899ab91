-- AlterTable
ALTER TABLE "ReturnCase" ADD COLUMN     "paidAt" TIMESTAMP(3),
ADD COLUMN     "paymentDueMinor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "paymentRequestedAt" TIMESTAMP(3);

