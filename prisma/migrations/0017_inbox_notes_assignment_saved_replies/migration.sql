-- AlterTable
ALTER TABLE "ContactRequest" ADD COLUMN "assigneeUserId" TEXT;

-- AlterTable
ALTER TABLE "ContactMessage" ADD COLUMN "staffUserId" TEXT;

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL DEFAULT '',
    "email" TEXT,
    "lastSeenAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SavedReply" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "bodies" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_shop_userId_key" ON "StaffMember"("shop", "userId");

-- CreateIndex
CREATE INDEX "SavedReply_shop_title_idx" ON "SavedReply"("shop", "title");

-- CreateIndex
CREATE INDEX "ContactRequest_shop_assigneeUserId_status_lastMessageAt_idx" ON "ContactRequest"("shop", "assigneeUserId", "status", "lastMessageAt");

