-- AlterTable
ALTER TABLE "LoyaltyReward" ADD COLUMN     "titles" TEXT NOT NULL DEFAULT '{}';

