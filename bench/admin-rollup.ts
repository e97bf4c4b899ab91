// One pass of the dashboard's daily rollup over a bench database, as the periodic task runs it in
// production (bench/admin.ts runs it after writing the shops): DATABASE_URL=… tsx bench/admin-rollup.ts
// Prints the pass's time and the days it counted.
const { db } = await import("../app/db.server");
const { refreshRollups } = await import("../app/services/dashboard/rollup.server");

const started = performance.now();
const { days } = await refreshRollups(db(), new Date());
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, days }));
await db().$disconnect();

// A module, so its top-level awaits are allowed.
export {};
