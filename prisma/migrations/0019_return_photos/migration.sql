-- CreateTable
CREATE TABLE "ReturnCasePhoto" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "returnCaseLineId" TEXT NOT NULL,
    "fileShopifyId" TEXT NOT NULL,
    "url" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ReturnCasePhoto_returnCaseLineId_fkey" FOREIGN KEY ("returnCaseLineId") REFERENCES "ReturnCaseLine" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "ReturnCasePhoto_returnCaseLineId_idx" ON "ReturnCasePhoto"("returnCaseLineId");

