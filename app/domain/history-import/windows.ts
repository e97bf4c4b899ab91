/** How far back the merchant can import orders from the Sync page, in days (the admin and the action share it). */
export const IMPORT_WINDOWS = [30, 90, 180, 365] as const;
