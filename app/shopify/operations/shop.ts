import { operation } from "../admin.server";

import type { ShopDetailsQuery } from "./types.generated";

export const ShopDetails = operation<ShopDetailsQuery>(`#graphql
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
