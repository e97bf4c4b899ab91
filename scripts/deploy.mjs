// `npm run deploy`: Shopify's `shopify app deploy`, with APP_URL set for the customer-account
// extensions. The CLI bundles each extension itself and replaces `process.env.APP_URL` in it with
// the environment's value: without one, the extensions would ship with no address for the app's
// backend. APP_URL, else SHOPIFY_APP_URL (the app's own setting); it must be https.
import { spawnSync } from "node:child_process";
import { join } from "node:path";

import { buildStorefront } from "./build-storefront.mjs";

const url = (process.env.APP_URL ?? process.env.SHOPIFY_APP_URL ?? "").replace(/\/$/, "");
if (!/^https:\/\/[^/\s]+$/.test(url)) {
  console.error(
    "Set SHOPIFY_APP_URL (or APP_URL) to the app's public https address before deploying: the " +
      "customer-account extensions call it, and Shopify's CLI writes it into them when it bundles them.",
  );
  process.exit(1);
}
// The theme app extension ships from its built copy (minified scripts and stylesheets).
const { overBudget } = buildStorefront();
if (overBudget.length) {
  console.error(`The storefront's scripts are over their budget: ${overBudget.join("; ")}.`);
  process.exit(1);
}
const shopify = join(import.meta.dirname, "..", "node_modules", ".bin", "shopify");
const result = spawnSync(shopify, ["app", "deploy", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, APP_URL: url },
});
process.exit(result.status ?? 1);
