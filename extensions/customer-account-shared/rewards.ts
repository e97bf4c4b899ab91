/** The rewards answer both rewards extensions read (GET /api/customer-account/rewards). */
export interface Tier {
  key: string;
  name: string;
  thresholdMinor: number;
  multiplier: number;
  perks: string;
}

export interface Reward {
  id: string;
  kind: string;
  title: string;
  pointsCost: number;
  valueMinor: number | null;
  percentOff: number | null;
}

export interface Rewards {
  program: {
    currencyName: string | null;
    pointsPerUnit: number;
    currency: string;
    signupBonus: number;
    birthdayBonus: number;
    pendingDays: number;
    tiers: Tier[];
  };
  rewards: Reward[];
  member: {
    balance: number;
    pending: number;
    tier: string | null;
    nextTier: string | null;
    remainingMinor: number;
    progress: number;
    expiresAt: string | null;
    history: { kind: string; points: number; at: string; pendingUntil: string | null; label: string | null }[];
    redemptions: { id: string; title: string; kind: string; code: string | null; at: string }[];
  } | null;
}

export const tierName = (rewards: Rewards, key: string | null) =>
  rewards.program.tiers.find((tier) => tier.key === key)?.name ?? null;
