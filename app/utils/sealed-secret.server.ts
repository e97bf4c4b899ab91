/**
 * Secrets a merchant hands the app (a Klaviyo private API key) are stored sealed: AES-256-GCM
 * with a random 96-bit nonce per seal, the key from DATA_ENCRYPTION_KEY (docs/decisions/0043).
 * GCM's tag makes a changed or swapped ciphertext fail to open instead of opening to garbage; the
 * shop's domain is bound in as associated data, so one shop's sealed key pasted into another
 * shop's row does not open either. Outside production an unset key falls back to a fixed demo key,
 * which production refuses.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** For the demo and tests only: anyone can read this repository. */
const DEMO_KEY = Buffer.from("YWZ0ZXJjYXJlLWRlbW8ta2V5LW5vdC1mb3ItcHJvZCE=", "base64");
const VERSION = "v1";

export class SealingKeyMissing extends Error {
  constructor() {
    super(
      "DATA_ENCRYPTION_KEY is not set: the app will not store a merchant's secret without it " +
        "(set 32 random bytes in base64, e.g. `openssl rand -base64 32`).",
    );
    this.name = "SealingKeyMissing";
  }
}

export function sealingKey(source: { NODE_ENV?: string; DATA_ENCRYPTION_KEY?: string } = process.env): Buffer {
  if (source.DATA_ENCRYPTION_KEY) {
    const key = Buffer.from(source.DATA_ENCRYPTION_KEY, "base64");
    if (key.length !== 32) throw new SealingKeyMissing();
    return key;
  }
  if (source.NODE_ENV === "production") throw new SealingKeyMissing();
  return DEMO_KEY;
}

/** "v1.<nonce>.<tag>.<ciphertext>", base64url each. */
export function seal(plaintext: string, context: string, key: Buffer = sealingKey()): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, nonce, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** The plaintext, or an error when the seal was made with another key or context, or altered. */
export function unseal(sealed: string, context: string, key: Buffer = sealingKey()): string {
  const [version, nonce, tag, body] = sealed.split(".");
  if (version !== VERSION || !nonce || !tag || body === undefined) throw new Error("Not a sealed secret.");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64url"));
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
