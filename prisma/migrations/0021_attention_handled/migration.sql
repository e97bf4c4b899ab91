-- CreateTable
CREATE TABLE "AttentionHandled" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "handledAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "staffUserId" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "AttentionHandled_shop_subjectId_since_key" ON "AttentionHandled"("shop", "subjectId", "since");

