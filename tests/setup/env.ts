// Configuration every test process starts from: the demo credentials, a quiet NODE_ENV, and one
// fixed seed for property tests, so a run's result never depends on when it runs (FC_SEED=<number>
// explores other inputs; a failure prints the seed and path that replay it).
import fc from "fast-check";

process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY ??= "aftercare-test-key";
process.env.SHOPIFY_API_SECRET ??= "aftercare-test-secret";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:3999";

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_261_205) });
