-- CreateTable
CREATE TABLE "AttentionHandled" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "handledAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "staffUserId" TEXT,

    CONSTRAINT "AttentionHandled_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AttentionHandled_shop_subjectId_since_key" ON "AttentionHandled"("shop", "subjectId", "since");

