-- AlterTable
ALTER TABLE "ContactRequest" ADD COLUMN     "channel" TEXT NOT NULL DEFAULT 'form',
ADD COLUMN     "chatSeq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "chatVisitor" TEXT;

-- AlterTable
ALTER TABLE "ContactMessage" ADD COLUMN     "clientId" TEXT,
ADD COLUMN     "deliveredAt" TIMESTAMP(3),
ADD COLUMN     "seq" INTEGER;

-- CreateIndex
CREATE INDEX "ContactRequest_shop_chatVisitor_status_idx" ON "ContactRequest"("shop", "chatVisitor", "status");

-- CreateIndex
CREATE INDEX "ContactRequest_shop_channel_status_lastMessageAt_idx" ON "ContactRequest"("shop", "channel", "status", "lastMessageAt");

-- CreateIndex
CREATE UNIQUE INDEX "ContactMessage_requestId_seq_key" ON "ContactMessage"("requestId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "ContactMessage_requestId_clientId_key" ON "ContactMessage"("requestId", "clientId");

