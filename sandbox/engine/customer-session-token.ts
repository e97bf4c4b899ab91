/**
 * The session token a customer-account UI extension gets from shopify.sessionToken.get(): an
 * HS256 JWT signed with the app's secret, for the app's backend to verify (shopify-app-remix's
 * authenticate.public.customerAccount). The shop is its issuer and destination, the app's API key
 * its audience, and the signed-in customer its subject. Shopify's extension tokens live five minutes.
 */
import { randomUUID } from "node:crypto";

import { signJwt } from "./auth";
import { gidFor } from "./state";

export const CUSTOMER_SESSION_TOKEN_TTL_S = 5 * 60;

export interface CustomerAccountTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub?: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
}

export function mintCustomerAccountSessionToken(input: {
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** Absent for a shopper who is not signed in (the token then has no subject). */
  customerId: number | null;
  now?: Date;
}): string {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const claims: CustomerAccountTokenClaims = {
    iss: `https://${input.shop}`,
    dest: input.shop,
    aud: input.apiKey,
    ...(input.customerId === null ? {} : { sub: gidFor("Customer", input.customerId) }),
    exp: iat + CUSTOMER_SESSION_TOKEN_TTL_S,
    nbf: iat,
    iat,
    jti: randomUUID(),
  };
  return signJwt(claims, input.apiSecret);
}
