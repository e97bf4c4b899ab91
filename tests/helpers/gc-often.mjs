// Preloaded into a server under test (node --expose-gc --import): collects garbage every 50 ms, so
// objects that only weak references keep alive are gone within a test's few seconds, as they are
// after hours in production.
if (typeof globalThis.gc !== "function") throw new Error("gc-often.mjs needs node --expose-gc");
setInterval(() => globalThis.gc(), 50).unref();
