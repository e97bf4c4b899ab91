-- AlterTable
ALTER TABLE "ContactRequest" ADD COLUMN "shopperSeenAt" DATETIME;

-- AlterTable
ALTER TABLE "SurveyResponse" ADD COLUMN "channel" TEXT;

-- CreateTable
CREATE TABLE "StaffPhoto" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_StaffMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL DEFAULT '',
    "email" TEXT,
    "lastSeenAt" DATETIME NOT NULL,
    "displayName" TEXT,
    "photoId" TEXT,
    "chatAvailable" BOOLEAN NOT NULL DEFAULT false,
    "chatSeenAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_StaffMember" ("createdAt", "email", "firstName", "id", "lastName", "lastSeenAt", "shop", "userId") SELECT "createdAt", "email", "firstName", "id", "lastName", "lastSeenAt", "shop", "userId" FROM "StaffMember";
DROP TABLE "StaffMember";
ALTER TABLE "new_StaffMember" RENAME TO "StaffMember";
CREATE INDEX "StaffMember_shop_chatAvailable_chatSeenAt_idx" ON "StaffMember"("shop", "chatAvailable", "chatSeenAt");
CREATE UNIQUE INDEX "StaffMember_shop_userId_key" ON "StaffMember"("shop", "userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "StaffPhoto_shop_userId_idx" ON "StaffPhoto"("shop", "userId");


-- Satisfaction answers already given are marked with their request's channel.
UPDATE "SurveyResponse" SET "channel" = (
    SELECT r."channel" FROM "ContactRequest" r WHERE r."id" = "SurveyResponse"."requestId"
) WHERE "kind" = 'csat' AND "requestId" IS NOT NULL;
