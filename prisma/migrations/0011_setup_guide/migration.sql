-- CreateTable
CREATE TABLE "StorefrontBlockSeen" (
    "shop" TEXT NOT NULL,
    "block" TEXT NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "block")
);

-- CreateTable
CREATE TABLE "SetupGuideState" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "dismissedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

