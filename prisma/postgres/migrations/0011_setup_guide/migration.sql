-- CreateTable
CREATE TABLE "StorefrontBlockSeen" (
    "shop" TEXT NOT NULL,
    "block" TEXT NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StorefrontBlockSeen_pkey" PRIMARY KEY ("shop","block")
);

-- CreateTable
CREATE TABLE "SetupGuideState" (
    "shop" TEXT NOT NULL,
    "dismissedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SetupGuideState_pkey" PRIMARY KEY ("shop")
);

