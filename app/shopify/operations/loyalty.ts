import { operation, type UserError } from "../admin.server";

/** Loyalty's Admin API operations: a reward becomes a single-use discount for one customer, or store credit. */

interface CodeDiscountCreated {
  codeDiscountNode: { id: string; codeDiscount: { codes: { nodes: Array<{ code: string }> } } | null } | null;
  userErrors: Array<UserError & { code: string | null }>;
}

export const LoyaltyDiscountCodeBasicCreate = operation<
  { discountCodeBasicCreate: CodeDiscountCreated | null },
  { discount: Record<string, unknown> }
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
  { discountCodeFreeShippingCreate: CodeDiscountCreated | null },
  { discount: Record<string, unknown> }
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
  {
    storeCreditAccountCredit: {
      storeCreditAccountTransaction: { amount: { amount: string; currencyCode: string }; account: { id: string } } | null;
      userErrors: Array<UserError & { code: string | null }>;
    } | null;
  },
  { id: string; creditInput: { creditAmount: { amount: string; currencyCode: string } } }
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
  {
    codeDiscountNodeByCode: {
      id: string;
      codeDiscount:
        | { __typename: string; title: string; status: string; usageLimit: number | null; context: { __typename: string; customers?: Array<{ id: string }> } }
        | null;
    } | null;
  },
  { code: string }
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
