import { operation } from "../admin.server";

import type {
  LoyaltyDiscountByCodeQuery,
  LoyaltyDiscountByCodeQueryVariables,
  LoyaltyDiscountCodeBasicCreateMutation,
  LoyaltyDiscountCodeBasicCreateMutationVariables,
  LoyaltyDiscountCodeFreeShippingCreateMutation,
  LoyaltyDiscountCodeFreeShippingCreateMutationVariables,
  LoyaltyStoreCreditAccountCreditMutation,
  LoyaltyStoreCreditAccountCreditMutationVariables,
} from "./types.generated";

/** Loyalty's Admin API operations: a reward becomes a single-use discount for one customer, or store credit. */

export const LoyaltyDiscountCodeBasicCreate = operation<
  LoyaltyDiscountCodeBasicCreateMutation,
  LoyaltyDiscountCodeBasicCreateMutationVariables
>(`#graphql
  mutation LoyaltyDiscountCodeBasicCreate($discount: DiscountCodeBasicInput!) {
    discountCodeBasicCreate(basicCodeDiscount: $discount) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeBasic {
            codes(first: 1) { nodes { code } }
          }
        }
      }
      userErrors { field message code }
    }
  }
`);

export const LoyaltyDiscountCodeFreeShippingCreate = operation<
  LoyaltyDiscountCodeFreeShippingCreateMutation,
  LoyaltyDiscountCodeFreeShippingCreateMutationVariables
>(`#graphql
  mutation LoyaltyDiscountCodeFreeShippingCreate($discount: DiscountCodeFreeShippingInput!) {
    discountCodeFreeShippingCreate(freeShippingCodeDiscount: $discount) {
      codeDiscountNode {
        id
        codeDiscount {
          ... on DiscountCodeFreeShipping {
            codes(first: 1) { nodes { code } }
          }
        }
      }
      userErrors { field message code }
    }
  }
`);

export const LoyaltyStoreCreditAccountCredit = operation<
  LoyaltyStoreCreditAccountCreditMutation,
  LoyaltyStoreCreditAccountCreditMutationVariables
>(`#graphql
  mutation LoyaltyStoreCreditAccountCredit($id: ID!, $creditInput: StoreCreditAccountCreditInput!) {
    storeCreditAccountCredit(id: $id, creditInput: $creditInput) {
      storeCreditAccountTransaction {
        amount { amount currencyCode }
        account { id }
      }
      userErrors { field message code }
    }
  }
`);

/** What the shop's Shopify holds for a code: used to confirm a reward and by tests. */
export const LoyaltyDiscountByCode = operation<
  LoyaltyDiscountByCodeQuery,
  LoyaltyDiscountByCodeQueryVariables
>(`#graphql
  query LoyaltyDiscountByCode($code: String!) {
    codeDiscountNodeByCode(code: $code) {
      id
      codeDiscount {
        __typename
        ... on DiscountCodeBasic {
          title
          status
          usageLimit
          context { __typename ... on DiscountCustomers { customers { id } } }
        }
        ... on DiscountCodeFreeShipping {
          title
          status
          usageLimit
          context { __typename ... on DiscountCustomers { customers { id } } }
        }
      }
    }
  }
`);
