-- CreateTable
CREATE TABLE "ContactRequestCounter" (
    "shop" TEXT NOT NULL,
    "lastNumber" INTEGER NOT NULL,

    CONSTRAINT "ContactRequestCounter_pkey" PRIMARY KEY ("shop")
);

-- Every shop's counter starts at its highest request number so far.
INSERT INTO "ContactRequestCounter" ("shop", "lastNumber")
SELECT "shop", MAX("number") FROM "ContactRequest" GROUP BY "shop";
