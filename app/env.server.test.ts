import { describe, expect, it } from "vitest";

import { ConfigurationError, logLevel, parseEnv } from "./env.server";

const valid = { SHOPIFY_API_KEY: "key", SHOPIFY_API_SECRET: "secret", SHOPIFY_APP_URL: "https://app.example.com" };

describe("configuration", () => {
  it("accepts a complete configuration and fills the defaults", () => {
    const env = parseEnv(valid);
    expect(env.DATABASE_URL).toBe("file:./dev.sqlite");
    expect(env.RUN_JOBS_IN_WEB).toBe(true);
    expect(env.NODE_ENV).toBe("development");
  });

  it("names every missing or wrong variable in one error", () => {
    try {
      parseEnv({ SHOPIFY_APP_URL: "not a url", DATABASE_URL: "mysql://x", RUN_JOBS_IN_WEB: "maybe" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      expect(message).toMatch(/SHOPIFY_API_KEY is required/);
      expect(message).toMatch(/SHOPIFY_API_SECRET is required/);
      expect(message).toMatch(/SHOPIFY_APP_URL must be a full URL/);
      expect(message).toMatch(/DATABASE_URL must be a SQLite file: URL/);
      expect(message).toMatch(/RUN_JOBS_IN_WEB must be true or false/);
    }
  });

  it("takes inbound email's address and Mailgun's signing key together, or neither", () => {
    const both = parseEnv({
      ...valid,
      INBOUND_EMAIL_ADDRESS: "support@inbound.example.com",
      MAILGUN_WEBHOOK_SIGNING_KEY: "key-0123456789abcdef",
    });
    expect(both.INBOUND_EMAIL_ADDRESS).toBe("support@inbound.example.com");
    expect(() => parseEnv({ ...valid, INBOUND_EMAIL_ADDRESS: "support@inbound.example.com" })).toThrow(
      /MAILGUN_WEBHOOK_SIGNING_KEY is required with the other/,
    );
    expect(() =>
      parseEnv({
        ...valid,
        INBOUND_EMAIL_ADDRESS: "support+x@inbound.example.com",
        MAILGUN_WEBHOOK_SIGNING_KEY: "k".repeat(20),
      }),
    ).toThrow(/INBOUND_EMAIL_ADDRESS must be a plain address without a \+tag/);
  });

  it("refuses the sandbox switches in production", () => {
    expect(() =>
      parseEnv({ ...valid, NODE_ENV: "production", SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:8082" }),
    ).toThrow(/SHOPIFY_ADMIN_API_ORIGIN points the app at the local sandbox/);
    expect(() => parseEnv({ ...valid, NODE_ENV: "production", APP_BRIDGE_URL: "http://127.0.0.1/ab.js" })).toThrow(
      /APP_BRIDGE_URL replaces Shopify's App Bridge/,
    );
    expect(parseEnv({ ...valid, SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:8082" }).SHOPIFY_ADMIN_API_ORIGIN).toBe(
      "http://127.0.0.1:8082",
    );
  });

  it("accepts PostgreSQL URLs", () => {
    expect(parseEnv({ ...valid, DATABASE_URL: "postgresql://u@h:5432/db" }).DATABASE_URL).toMatch(/^postgresql/);
    expect(parseEnv({ ...valid, DATABASE_URL: "postgres://u@h/db" }).DATABASE_URL).toMatch(/^postgres:/);
  });

  it("logs warnings in production unless LOG_LEVEL says otherwise, and names a wrong level", () => {
    expect(logLevel(parseEnv({ ...valid, NODE_ENV: "production", SMTP_URL: "smtp://relay:25" }))).toBe("warning");
    expect(logLevel(parseEnv(valid))).toBe("info");
    expect(
      logLevel(parseEnv({ ...valid, NODE_ENV: "production", SMTP_URL: "smtp://relay:25", LOG_LEVEL: "debug" })),
    ).toBe("debug");
    expect(() => parseEnv({ ...valid, LOG_LEVEL: "verbose" })).toThrow(
      /LOG_LEVEL must be error, warning, info or debug/,
    );
  });
});
