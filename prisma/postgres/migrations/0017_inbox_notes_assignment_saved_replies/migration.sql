-- AlterTable
ALTER TABLE "ContactRequest" ADD COLUMN     "assigneeUserId" TEXT;

-- AlterTable
ALTER TABLE "ContactMessage" ADD COLUMN     "staffUserId" TEXT;

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL DEFAULT '',
    "email" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SavedReply" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "bodies" TEXT NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedReply_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_shop_userId_key" ON "StaffMember"("shop", "userId");

-- CreateIndex
CREATE INDEX "SavedReply_shop_title_idx" ON "SavedReply"("shop", "title");

-- CreateIndex
CREATE INDEX "ContactRequest_shop_assigneeUserId_status_lastMessageAt_idx" ON "ContactRequest"("shop", "assigneeUserId", "status", "lastMessageAt");

