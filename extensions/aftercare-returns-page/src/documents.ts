/** The Customer Account API documents this extension sends (validated against Shopify's 2026-07 schema in tests). */

export const REQUEST_RETURN = `#graphql
  mutation RequestReturn($orderId: ID!, $requestedLineItems: [RequestedLineItemInput!]!) {
    orderRequestReturn(orderId: $orderId, requestedLineItems: $requestedLineItems) {
      return {
        id
        name
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export interface RequestReturnData {
  orderRequestReturn: {
    return: { id: string; name: string; status: string } | null;
    userErrors: { field: string[] | null; message: string; code: string | null }[];
  } | null;
}
