-- CreateTable
CREATE TABLE "ReturnCasePhoto" (
    "id" TEXT NOT NULL,
    "returnCaseLineId" TEXT NOT NULL,
    "fileShopifyId" TEXT NOT NULL,
    "url" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReturnCasePhoto_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReturnCasePhoto_returnCaseLineId_idx" ON "ReturnCasePhoto"("returnCaseLineId");

-- AddForeignKey
ALTER TABLE "ReturnCasePhoto" ADD CONSTRAINT "ReturnCasePhoto_returnCaseLineId_fkey" FOREIGN KEY ("returnCaseLineId") REFERENCES "ReturnCaseLine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

