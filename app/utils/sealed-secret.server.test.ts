import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { seal, SealingKeyMissing, sealingKey, unseal } from "./sealed-secret.server";

describe("sealed secrets", () => {
  const key = randomBytes(32);

  it("opens what it sealed, for the same context and key only", () => {
    const sealed = seal("pk_secret_value_1234", "a.myshopify.com", key);
    expect(sealed).not.toContain("secret");
    expect(seal("pk_secret_value_1234", "a.myshopify.com", key)).not.toBe(sealed);
    expect(unseal(sealed, "a.myshopify.com", key)).toBe("pk_secret_value_1234");
    expect(() => unseal(sealed, "b.myshopify.com", key)).toThrow();
    expect(() => unseal(sealed, "a.myshopify.com", randomBytes(32))).toThrow();
    const parts = sealed.split(".");
    parts[3] = Buffer.from("pk_other_value_12345").toString("base64url");
    expect(() => unseal(parts.join("."), "a.myshopify.com", key)).toThrow();
  });

  it("takes its key from DATA_ENCRYPTION_KEY, and refuses the demo key in production", () => {
    const configured = randomBytes(32).toString("base64");
    expect(sealingKey({ DATA_ENCRYPTION_KEY: configured }).toString("base64")).toBe(configured);
    expect(sealingKey({ NODE_ENV: "development" })).toHaveLength(32);
    expect(() => sealingKey({ NODE_ENV: "production" })).toThrow(SealingKeyMissing);
    expect(() => sealingKey({ DATA_ENCRYPTION_KEY: "c2hvcnQ=" })).toThrow(SealingKeyMissing);
  });
});
