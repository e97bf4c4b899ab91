import "@shopify/ui-extensions";

// The `shopify` global this extension's target receives.
declare module "./src/RewardsBlock.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.profile.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}
