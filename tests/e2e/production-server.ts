import { startServer, type Server } from "../../bench/processes";

/**
 * The production build's web process (server.js) on `databaseUrl`, as a deployment runs it, with
 * nothing from the test's own environment but PATH and HOME; its output goes to
 * test-results/<log>.log. `nodeArgs` go to node before the script.
 */
export function startProductionServer(options: {
  name: string;
  secret: string;
  databaseUrl: string;
  log: string;
  nodeArgs?: string[];
}): Promise<Server> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: `aftercare-${options.log}`,
    SHOPIFY_API_SECRET: options.secret,
    SHOPIFY_APP_URL: "https://aftercare.example.com",
    SMTP_URL: "smtp://127.0.0.1:9",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: options.databaseUrl,
    BUILD_DIR: process.env.BUILD_DIR ?? "build",
  };
  return startServer(options.name, "server.js", env, `test-results/${options.log}.log`, options.nodeArgs);
}
