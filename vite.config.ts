import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: false;
  }
}

// `shopify app dev` serves the app through a tunnel at SHOPIFY_APP_URL: Vite must accept that host
// (it refuses unknown Host headers) and hot reload must reach the browser through the tunnel.
const appHost = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;
const tunnelled = !["localhost", "127.0.0.1"].includes(appHost);
const hmr = tunnelled
  ? { protocol: "wss", host: appHost, port: Number(process.env.FRONTEND_PORT) || 8002, clientPort: 443 }
  : { protocol: "ws", host: "localhost", port: 64999, clientPort: 64999 };

export default defineConfig({
  server: {
    host: "127.0.0.1",
    port: Number(process.env.PORT || 3000),
    allowedHosts: [appHost],
    hmr,
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      // BUILD_DIR lets several builds live side by side (e.g. parallel end-to-end runs).
      buildDirectory: process.env.BUILD_DIR ?? "build",
      ignoredRouteFiles: ["**/.*", "**/*.test.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: false,
        v3_routeConfig: false,
      },
    }),
    tsconfigPaths(),
  ],
  build: { assetsInlineLimit: 0 },
  // Prisma's generated clients are loaded at run time with require(); keep them out of the bundle.
  ssr: {
    external: [
      "@prisma/client",
      "@prisma/adapter-better-sqlite3",
      "@prisma/adapter-pg",
      "better-sqlite3",
      "pg-boss",
      "pg",
    ],
  },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
});
