import "@shopify/ui-extensions";

// The `shopify` global this extension's target receives.
declare module "./src/ReturnAction.tsx" {
  const shopify: import("@shopify/ui-extensions/customer-account.order.action.menu-item.render").Api;
  const globalThis: { shopify: typeof shopify };
}
