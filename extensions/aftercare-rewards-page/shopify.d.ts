import "@shopify/ui-extensions";

// The `shopify` global this extension's target receives.
declare module "./src/RewardsPage.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.page.render").Api;
  const globalThis: { shopify: typeof shopify };
}
