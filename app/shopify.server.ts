import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";

import { db } from "./db.server";
import { env, logLevel } from "./env.server";
import { ADMIN_API_VERSION } from "./shopify/api-version";
import { routeAdminApiTo } from "./shopify/admin-origin.server";
import { CachedSessionStorage } from "./shopify/session-cache.server";
import { recordInstall } from "./services/record-install.server";
import { refuseMalformedHost } from "./shopify/admin-host";

// The only shopifyApp() in the codebase: everything Shopify-related is configured here.
const config = env();
if (config.SHOPIFY_ADMIN_API_ORIGIN) routeAdminApiTo(config.SHOPIFY_ADMIN_API_ORIGIN);

const LOG_SEVERITY = {
  error: LogSeverity.Error,
  warning: LogSeverity.Warning,
  info: LogSeverity.Info,
  debug: LogSeverity.Debug,
} as const;

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: config.SCOPES?.split(",")
    .map((s) => s.trim())
    .filter(Boolean),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // Cached briefly: every app-proxy request loads the shop's session (shopify/session-cache.server.ts).
  sessionStorage: new CachedSessionStorage(new PrismaSessionStorage(db())),
  distribution: AppDistribution.AppStore,
  logger: { level: LOG_SEVERITY[logLevel(config)] },
  future: {
    unstable_newEmbeddedAuthStrategy: true,
  },
  hooks: {
    afterAuth: async ({ session, admin }) => {
      await recordInstall(db(), admin.graphql, session.shop, session.scope);
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
/** Every admin page authenticates here: a malformed `host` is a 400, never the library's 500. */
const admin: typeof shopify.authenticate.admin = async (request) => {
  refuseMalformedHost(request);
  return shopify.authenticate.admin(request);
};
export const authenticate = { ...shopify.authenticate, admin };
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
