/**
 * How shoppers and emails name a contact request. Order numbers read "#1042" and returns
 * "1042-R1", so a request reads "REQ-1042": nobody quoting it is taken to mean an order.
 */
export function contactReference(number: number): string {
  return `REQ-${number}`;
}
