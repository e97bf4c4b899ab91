/** Signed links that open an order's tracking directly (in every notification, and for logged-in shoppers). */
import { signLinkToken, verifyLinkToken, type LinkTokenCheck } from "../link-token.server";

export const TRACKING_LINK_PURPOSE = "tracking";
export const TRACKING_LINK_DAYS = 120;

export function trackingToken(input: {
  shop: string;
  orderShopifyId: string;
  secret: string;
  now: Date;
  days?: number;
}): string {
  return signLinkToken(
    {
      purpose: TRACKING_LINK_PURPOSE,
      shop: input.shop,
      subject: input.orderShopifyId,
      expiresAt: new Date(input.now.getTime() + (input.days ?? TRACKING_LINK_DAYS) * 86_400_000),
    },
    input.secret,
  );
}

export function readTrackingToken(token: string, shop: string, secret: string, now: Date): LinkTokenCheck {
  return verifyLinkToken(token, { secret, purpose: TRACKING_LINK_PURPOSE, shop, now });
}

/** The storefront page holding the tracking block, opened on one order. */
export function trackingPageUrl(input: { shop: string; path: string; token: string }): string {
  return `https://${input.shop}${input.path}?token=${encodeURIComponent(input.token)}`;
}
