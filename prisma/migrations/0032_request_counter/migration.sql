-- CreateTable
CREATE TABLE "ContactRequestCounter" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "lastNumber" INTEGER NOT NULL
);

-- Every shop's counter starts at its highest request number so far.
INSERT INTO "ContactRequestCounter" ("shop", "lastNumber")
SELECT "shop", MAX("number") FROM "ContactRequest" GROUP BY "shop";
