import { z } from "zod";

import { translatedFor, type TranslatedLocale } from "./settings";

/**
 * A reward's title in the storefront's languages besides English. The English `title` is the
 * reward's name everywhere else (admin, Shopify's discount, redemption history) and what shoppers
 * read in a language the merchant left empty. Kept as JSON beside the title, as tier names are kept
 * in the settings document, so a language added later needs no migration. Pure: no I/O.
 */
export const REWARD_TITLE_MAX = 80;

export const rewardTitlesSchema = z
  .object({
    ko: z.string().trim().max(REWARD_TITLE_MAX).default(""),
    ja: z.string().trim().max(REWARD_TITLE_MAX).default(""),
    fa: z.string().trim().max(REWARD_TITLE_MAX).default(""),
  })
  .default({});
export type RewardTitles = Record<TranslatedLocale, string>;

const NO_TITLES: RewardTitles = { ko: "", ja: "", fa: "" };

/** The stored translations; a row written before they existed, or anything unreadable, reads as none. */
export function parseRewardTitles(json: string | null | undefined): RewardTitles {
  if (!json) return NO_TITLES;
  try {
    const result = rewardTitlesSchema.safeParse(JSON.parse(json));
    return result.success ? result.data : NO_TITLES;
  } catch {
    return NO_TITLES;
  }
}

/** A reward's title as a shopper reads it in `locale`: the merchant's translation, else the English title. */
export function rewardTitleFor(reward: { title: string; titles: string | null }, locale: string): string {
  return translatedFor(reward.title, parseRewardTitles(reward.titles), locale);
}
