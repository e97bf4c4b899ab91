/**
 * Shopify's side of embedded-app authentication: the admin mints a session token (an HS256 JWT
 * signed with the app secret) for the app's frame, and the app trades it for an access token at
 * POST /admin/oauth/access_token (OAuth 2.0 token exchange, RFC 8693), as
 * @shopify/shopify-api's tokenExchange sends it. Written on node:crypto; HS256 is small.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";

import type { AccessToken, Clock, SandboxState, Shop } from "./state";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

/** Shopify's session tokens live one minute. */
export const SESSION_TOKEN_TTL_S = 60;
/** Online access tokens expire after a day. */
export const ONLINE_TOKEN_TTL_S = 86_399;
/** The library accepts 10 s of clock skew. */
const CLOCK_TOLERANCE_S = 10;

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig?: string;
}

export interface MintSessionTokenInput {
  shop: string;
  apiKey: string;
  apiSecret: string;
  userId: number | string;
  /** Defaults to now; tests pass a time to make an expired token. */
  now?: Date;
  sessionId?: string;
}

/** The session token the Shopify admin hands an embedded app (App Bridge's idToken()). */
export function mintSessionToken(input: MintSessionTokenInput): string {
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const claims: SessionTokenClaims = {
    iss: `https://${input.shop}/admin`,
    dest: `https://${input.shop}`,
    aud: input.apiKey,
    sub: String(input.userId),
    exp: iat + SESSION_TOKEN_TTL_S,
    nbf: iat,
    iat,
    jti: randomUUID(),
    sid: input.sessionId ?? randomBytes(16).toString("hex"),
  };
  return signJwt(claims, input.apiSecret);
}

export function signJwt(claims: object, secret: string): string {
  const head = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify(claims));
  const signature = createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${signature}`;
}

export class SessionTokenError extends Error {}

/** Verifies signature, algorithm, time window and audience, as decodeSessionToken does. */
export function verifySessionToken(token: string, apiKey: string, apiSecret: string, now: Date): SessionTokenClaims {
  const parts = token.split(".");
  if (parts.length !== 3) throw new SessionTokenError("The session token is not a JWT.");
  const [head, body, signature] = parts;
  let header: { alg?: string };
  let claims: SessionTokenClaims;
  try {
    header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw new SessionTokenError("The session token is not a JWT.");
  }
  if (header.alg !== "HS256") throw new SessionTokenError("The session token must be signed with HS256.");
  const expected = createHmac("sha256", apiSecret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SessionTokenError("The session token's signature does not match the app secret.");
  }
  const t = Math.floor(now.getTime() / 1000);
  if (typeof claims.exp !== "number" || claims.exp + CLOCK_TOLERANCE_S < t)
    throw new SessionTokenError("The session token has expired.");
  if (typeof claims.nbf === "number" && claims.nbf - CLOCK_TOLERANCE_S > t)
    throw new SessionTokenError("The session token is not valid yet.");
  if (claims.aud !== apiKey) throw new SessionTokenError("The session token was issued for another app.");
  return claims;
}

export interface AuthDeps {
  state: SandboxState;
  apiKey: string;
  apiSecret: string;
  clock: Clock;
  /** The shop in a request: the sandbox header first, then the Host. */
  shopOf: (request: Request) => string | null;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const oauthError = (status: number, error: string, description: string) =>
  json(status, { error, error_description: description });

export function issueAccessToken(
  deps: AuthDeps,
  shop: Shop,
  options: { userId?: number | null; expiresInS?: number | null } = {},
): AccessToken {
  const online = options.userId != null;
  const prefix = online ? "shpua" : "shpat";
  const seed = `${shop.domain}:${deps.state.nextId()}`;
  const token: AccessToken = {
    token: `${prefix}_${createHmac("sha256", deps.apiSecret).update(seed).digest("hex").slice(0, 32)}`,
    scope: shop.scopes.join(","),
    userId: options.userId ?? null,
    expiresAt: options.expiresInS ? new Date(deps.clock().getTime() + options.expiresInS * 1000).toISOString() : null,
  };
  shop.accessTokens.push(token);
  return token;
}

/** The access token a request carries, if the sandbox issued it for that shop and it is current. */
export function findAccessToken(deps: AuthDeps, shop: Shop, token: string | null): AccessToken | null {
  if (!token) return null;
  const found = shop.accessTokens.find((t) => t.token === token);
  if (!found) return null;
  if (found.expiresAt && Date.parse(found.expiresAt) <= deps.clock().getTime()) return null;
  return found;
}

async function readParams(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get("content-type") ?? "";
  const text = await request.text();
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
  } catch {
    // fall through
  }
  return {};
}

/** POST /admin/oauth/access_token with grant_type token-exchange. */
export async function handleTokenExchange(deps: AuthDeps, request: Request): Promise<Response> {
  if (request.method !== "POST") return oauthError(405, "invalid_request", "Use POST.");
  const domain = deps.shopOf(request);
  const shop = domain ? deps.state.findShop(domain) : undefined;
  if (!shop) return oauthError(404, "shop_not_found", `No sandbox shop ${domain ?? "(none given)"}.`);
  const params = await readParams(request);
  if (params.client_id !== deps.apiKey || params.client_secret !== deps.apiSecret) {
    return oauthError(401, "invalid_client", "Client credentials are invalid.");
  }
  if (params.grant_type !== TOKEN_EXCHANGE_GRANT) {
    return oauthError(400, "unsupported_grant_type", `grant_type must be ${TOKEN_EXCHANGE_GRANT}.`);
  }
  if (params.subject_token_type !== ID_TOKEN_TYPE) {
    return oauthError(400, "invalid_request", `subject_token_type must be ${ID_TOKEN_TYPE}.`);
  }
  const requested = params.requested_token_type ?? OFFLINE_TOKEN_TYPE;
  if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
    return oauthError(400, "invalid_request", "requested_token_type must be an online or offline access token.");
  }
  let claims: SessionTokenClaims;
  try {
    claims = verifySessionToken(params.subject_token ?? "", deps.apiKey, deps.apiSecret, deps.clock());
  } catch (error) {
    return oauthError(400, "invalid_subject_token", (error as Error).message);
  }
  if (new URL(claims.dest).hostname !== shop.domain) {
    return oauthError(400, "invalid_subject_token", "The session token was issued for another shop.");
  }
  // Shopify-managed installation: exchanging a token installs the app.
  shop.appInstalled = true;
  if (requested === OFFLINE_TOKEN_TYPE) {
    const expiring = params.expiring === "1";
    const token = issueAccessToken(deps, shop, { expiresInS: expiring ? 3600 : null });
    return json(200, {
      access_token: token.token,
      scope: token.scope,
      ...(expiring
        ? {
            expires_in: 3600,
            refresh_token: `shprt_${randomBytes(16).toString("hex")}`,
            refresh_token_expires_in: 7_776_000,
          }
        : {}),
    });
  }
  const user = shop.staff.find((u) => String(u.id) === claims.sub);
  if (!user) return oauthError(400, "invalid_subject_token", `No staff member ${claims.sub} in ${shop.domain}.`);
  const token = issueAccessToken(deps, shop, { userId: user.id, expiresInS: ONLINE_TOKEN_TTL_S });
  return json(200, {
    access_token: token.token,
    scope: token.scope,
    expires_in: ONLINE_TOKEN_TTL_S,
    associated_user_scope: token.scope,
    session: claims.sid,
    account_number: 0,
    associated_user: {
      id: user.id,
      first_name: user.firstName,
      last_name: user.lastName,
      email: user.email,
      account_owner: user.accountOwner,
      locale: user.locale,
      collaborator: false,
      email_verified: true,
    },
  });
}
