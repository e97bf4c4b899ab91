// Configuration every test process starts from: the demo credentials and a quiet NODE_ENV.
process.env.NODE_ENV = "test";
process.env.SHOPIFY_API_KEY ??= "aftercare-test-key";
process.env.SHOPIFY_API_SECRET ??= "aftercare-test-secret";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:3999";
