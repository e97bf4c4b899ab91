-- CreateTable
CREATE TABLE "KlaviyoConnection" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "apiKeySealed" TEXT NOT NULL,
    "apiKeyLast4" TEXT NOT NULL,
    "accountId" TEXT,
    "accountName" TEXT,
    "events" TEXT NOT NULL DEFAULT '[]',
    "klaviyoSends" TEXT NOT NULL DEFAULT '[]',
    "connectedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
