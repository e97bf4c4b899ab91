/** Where a contact request stands; shared by the inbox page (browser) and the models (server). */
export const REQUEST_STATUSES = ["open", "waiting", "closed"] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
