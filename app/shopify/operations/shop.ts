import { operation } from "../admin.server";

export const ShopDetails = operation<{
  shop: { name: string; email: string; currencyCode: string; ianaTimezone: string; myshopifyDomain: string };
}>(`#graphql
  query ShopDetails {
    shop {
      name
      email
      currencyCode
      ianaTimezone
      myshopifyDomain
    }
  }
`);
