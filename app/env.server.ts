import { z } from "zod";

/**
 * Configuration, validated once at start-up. A missing or wrong variable stops the process with
 * one line per problem saying what to set, instead of a confusing failure on the first request.
 */
const booleanFlag = z
  .enum(["true", "false", "1", "0"], { message: "must be true or false" })
  .transform((v) => v === "true" || v === "1");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    SHOPIFY_API_KEY: z
      .string({ required_error: "is required (the app's client id)" })
      .min(1, "is required (the app's client id)"),
    SHOPIFY_API_SECRET: z
      .string({ required_error: "is required (the app's client secret; it signs webhooks and session tokens)" })
      .min(1, "is required (the app's client secret; it signs webhooks and session tokens)"),
    SHOPIFY_APP_URL: z
      .string({ required_error: "is required (the public https URL the app is served from)" })
      .url("must be a full URL such as https://aftercare.example.com"),
    SCOPES: z.string().optional(),
    SHOP_CUSTOM_DOMAIN: z.string().optional(),
    DATABASE_URL: z
      .string()
      .default("file:./dev.sqlite")
      .refine((v) => /^(file:|postgres(ql)?:\/\/)/.test(v), {
        message: "must be a SQLite file: URL (file:./dev.sqlite) or a postgres:// URL",
      }),
    // Run webhook and notification jobs inside the web process. With PostgreSQL, set it to false
    // and run `npm run worker` elsewhere so that web processes only record events.
    RUN_JOBS_IN_WEB: booleanFlag.default("true"),
    // Local Shopify sandbox switches (development and tests only): where shops' Admin API lives
    // and which script provides App Bridge.
    SHOPIFY_ADMIN_API_ORIGIN: z.string().url("must be a URL such as http://127.0.0.1:8082").optional(),
    APP_BRIDGE_URL: z.string().url("must be the URL of an App Bridge script").optional(),
    // The one mailer (app/services/mailer.server.ts). Outside production it defaults to a local
    // SMTP catcher (DEMO_SMTP_URL); production must name its relay.
    SMTP_URL: z
      .string()
      .optional()
      .refine((v) => v === undefined || /^smtps?:\/\/[^/]+/.test(v), {
        message: "must be an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.com:465",
      }),
    // How much the Shopify libraries log. Production defaults to warnings: "info" writes a line for
    // every app-proxy request and session token, a synchronous write on the storefront's path.
    LOG_LEVEL: z
      .enum(["error", "warning", "info", "debug"], { message: "must be error, warning, info or debug" })
      .optional(),
    // How many proxies in front of the app append to X-Forwarded-For, counted from the app: the
    // shopper's address is the entry the outermost of them wrote, and anything left of it is what
    // the client sent. Shopify's app proxy is one; a load balancer of the host adds one more.
    TRUSTED_PROXY_HOPS: z
      .string()
      .default("1")
      .refine((v) => /^(?:[1-9])$/.test(v.trim()), {
        message:
          "must be a whole number from 1 to 9: the proxies in front of the app " +
          "(Shopify's app proxy is 1, a load balancer adds 1)",
      })
      .transform((v) => Number(v.trim())),
    // Where Klaviyo's API lives (its official client's base URL): Klaviyo's own by default; the
    // demo and tests point it at the sandbox's Klaviyo stand-in.
    KLAVIYO_API_URL: z.string().url("must be a URL such as https://a.klaviyo.com").default("https://a.klaviyo.com"),
    // Texts go through Twilio's official client from the app's Twilio account (docs/decisions/0044);
    // unset, SMS is off. TWILIO_API_URL is Twilio's own by default; the demo and tests point it at
    // the sandbox's Twilio stand-in. The auth token also checks the signature of shoppers' replies.
    TWILIO_API_URL: z.string().url("must be a URL such as https://api.twilio.com").default("https://api.twilio.com"),
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-f]{32}$/, "must be your Twilio Account SID (AC followed by 32 hex digits)")
      .optional(),
    TWILIO_AUTH_TOKEN: z
      .string()
      .regex(/^[0-9a-f]{32}$/, "must be your Twilio Auth Token (32 hex digits)")
      .optional(),
    // Seals secrets merchants hand the app (a Klaviyo private key) at rest with AES-256-GCM: 32
    // random bytes in base64 (`openssl rand -base64 32`). Outside production a fixed demo key is
    // used when unset; production refuses to store a secret without it (docs/decisions/0043).
    DATA_ENCRYPTION_KEY: z
      .string()
      .optional()
      .refine((v) => v === undefined || Buffer.from(v, "base64").length === 32, {
        message: "must be 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`",
      }),
    // Shoppers' emails come back through Mailgun's inbound routes (docs/decisions/0046): the address
    // Mailgun receives at (reply addresses and shops' intake addresses are its +tags) and the
    // account's HTTP webhook signing key that signs each forwarded message. Unset, answering by
    // email goes to the shop's own mailbox as before and /contact/inbound-email answers 404.
    INBOUND_EMAIL_ADDRESS: z
      .string()
      .optional()
      .refine((v) => v === undefined || /^[^\s@+<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(v.trim()), {
        message: "must be a plain address without a +tag, such as support@inbound.yourapp.com",
      }),
    MAILGUN_WEBHOOK_SIGNING_KEY: z.string().min(16, "must be your Mailgun HTTP webhook signing key").optional(),
    MAIL_FROM: z
      .string()
      .default("Aftercare <notifications@aftercare.example.com>")
      .refine((v) => /^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(v.trim()), {
        message: 'must be an address such as "Your Shop <orders@yourshop.com>"',
      }),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && env.SHOPIFY_ADMIN_API_ORIGIN) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["SHOPIFY_ADMIN_API_ORIGIN"],
        message: "points the app at the local sandbox and is refused when NODE_ENV=production",
      });
    }
    if (env.NODE_ENV === "production" && !env.SMTP_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["SMTP_URL"],
        message:
          "is required when NODE_ENV=production (your SMTP relay, e.g. smtps://user:password@smtp.example.com:465)",
      });
    }
    if (Boolean(env.INBOUND_EMAIL_ADDRESS) !== Boolean(env.MAILGUN_WEBHOOK_SIGNING_KEY)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [env.INBOUND_EMAIL_ADDRESS ? "MAILGUN_WEBHOOK_SIGNING_KEY" : "INBOUND_EMAIL_ADDRESS"],
        message: "is required with the other (inbound email needs both the address and the signing key)",
      });
    }
    if (env.NODE_ENV === "production" && env.APP_BRIDGE_URL) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["APP_BRIDGE_URL"],
        message: "replaces Shopify's App Bridge and is refused when NODE_ENV=production",
      });
    }
  });

/** Where mail goes when SMTP_URL is not set (development, tests, the demo): a local catcher. */
export const DEMO_SMTP_URL = "smtp://127.0.0.1:2525";

export type Env = z.infer<typeof schema>;

export class ConfigurationError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Aftercare cannot start; fix its configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigurationError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigurationError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`),
    );
  }
  return result.data;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** LOG_LEVEL, else warnings in production and everything but debug elsewhere. */
export function logLevel(env: Env): NonNullable<Env["LOG_LEVEL"]> {
  return env.LOG_LEVEL ?? (env.NODE_ENV === "production" ? "warning" : "info");
}

export function databaseKind(url: string): "sqlite" | "postgresql" {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}
