/**
 * The order fields the mirror takes from the Admin API (app/services/history-import/records.ts maps
 * them), written once for every query that brings orders into the mirror: the history import's bulk
 * query and reconciliation's order query must ask for the same fields, or one would leave out what
 * the other writes. A selection, not a GraphQL fragment, so each document stays self-contained.
 */
export const ORDER_MIRROR_FIELDS = `
id
name
number
email
phone
test
customerLocale
currencyCode
subtotalPriceSet { shopMoney { amount currencyCode } }
currentSubtotalPriceSet { shopMoney { amount currencyCode } }
totalShippingPriceSet { shopMoney { amount currencyCode } }
totalTaxSet { shopMoney { amount currencyCode } }
currentTotalTaxSet { shopMoney { amount currencyCode } }
currentTotalDiscountsSet { shopMoney { amount currencyCode } }
currentTotalPriceSet { shopMoney { amount currencyCode } }
displayFinancialStatus
displayFulfillmentStatus
cancelledAt
cancelReason
closedAt
shippingAddress { city province provinceCode countryCodeV2 zip }
tags
processedAt
createdAt
updatedAt
customer {
  id
  firstName
  lastName
  locale
  state
  tags
  createdAt
  updatedAt
  defaultEmailAddress { emailAddress marketingState }
  defaultPhoneNumber { phoneNumber }
}
`;
