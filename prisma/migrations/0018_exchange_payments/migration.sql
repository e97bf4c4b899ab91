-- A dearer exchange's price difference, asked for by Shopify's invoice and paid through Shopify.
ALTER TABLE "ReturnCase" ADD COLUMN "paymentDueMinor" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "ReturnCase" ADD COLUMN "paymentRequestedAt" DATETIME;
ALTER TABLE "ReturnCase" ADD COLUMN "paidAt" DATETIME;
