// `npm run worker`: a process that only works jobs (webhook events, notifications, scheduled
// work) and serves no pages. For PostgreSQL deployments, so that web processes set
// RUN_JOBS_IN_WEB=false and only record events; run as many workers as the load needs.
const BUILD_PATH = new URL(`./${process.env.BUILD_DIR ?? "build"}/server/index.js`, import.meta.url).href;

const url = process.env.DATABASE_URL ?? "file:./dev.sqlite";
if (url.startsWith("file:")) {
  console.error("npm run worker is for PostgreSQL deployments: on SQLite the web process runs the jobs itself.");
  process.exit(1);
}
process.env.RUN_JOBS_IN_WEB = "true"; // this process is the one that works the queue
const build = await import(BUILD_PATH);
await build.entry.module.startBackgroundWork();
console.log("Aftercare worker started.");
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, async () => {
    await build.entry.module.stopBackgroundWork();
    process.exit(0);
  });
}
