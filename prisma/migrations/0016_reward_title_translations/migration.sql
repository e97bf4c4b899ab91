-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LoyaltyReward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "titles" TEXT NOT NULL DEFAULT '{}',
    "pointsCost" INTEGER NOT NULL,
    "valueMinor" INTEGER,
    "percentOff" INTEGER,
    "minimumOrderMinor" INTEGER,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_LoyaltyReward" ("active", "createdAt", "id", "kind", "minimumOrderMinor", "percentOff", "pointsCost", "shop", "title", "updatedAt", "valueMinor") SELECT "active", "createdAt", "id", "kind", "minimumOrderMinor", "percentOff", "pointsCost", "shop", "title", "updatedAt", "valueMinor" FROM "LoyaltyReward";
DROP TABLE "LoyaltyReward";
ALTER TABLE "new_LoyaltyReward" RENAME TO "LoyaltyReward";
CREATE INDEX "LoyaltyReward_shop_active_pointsCost_idx" ON "LoyaltyReward"("shop", "active", "pointsCost");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

