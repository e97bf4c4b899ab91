-- CreateTable
CREATE TABLE "KlaviyoConnection" (
    "shop" TEXT NOT NULL,
    "apiKeySealed" TEXT NOT NULL,
    "apiKeyLast4" TEXT NOT NULL,
    "accountId" TEXT,
    "accountName" TEXT,
    "events" TEXT NOT NULL DEFAULT '[]',
    "klaviyoSends" TEXT NOT NULL DEFAULT '[]',
    "connectedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KlaviyoConnection_pkey" PRIMARY KEY ("shop")
);
