import "@shopify/shopify-api/adapters/node";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestedTokenType, Session, shopifyApi } from "@shopify/shopify-api";

import { ADMIN_API_VERSION } from "../../app/shopify/api-version";
import { routeAdminApiTo } from "../../app/shopify/admin-origin.server";

import { mintSessionToken, signJwt } from "./auth";
import { testSandbox, TEST_SHOP } from "./testing";

const apiKey = process.env.SHOPIFY_API_KEY!;
const apiSecret = process.env.SHOPIFY_API_SECRET!;

const api = (secret = apiSecret) =>
  shopifyApi({
    apiKey,
    apiSecretKey: secret,
    apiVersion: ADMIN_API_VERSION,
    hostName: "127.0.0.1:3999",
    isEmbeddedApp: true,
    scopes: ["read_orders"],
    logger: { level: 0 },
  });

const { sandbox } = testSandbox({ apiKey, apiSecret });
const owner = sandbox.shop(TEST_SHOP).staff[0];

// The sandbox behind a real HTTP port, with the app's own redirect of Shopify calls pointing at it.
let server: Server;
beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const request = new Request(`http://127.0.0.1${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: req.method === "GET" ? undefined : Buffer.concat(chunks),
    });
    const path = new URL(request.url).pathname;
    const response =
      path === "/admin/oauth/access_token"
        ? await sandbox.handleTokenExchange(request)
        : await sandbox.handleAdminGraphql(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  routeAdminApiTo(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("session tokens", () => {
  it("are accepted by @shopify/shopify-api's decodeSessionToken, with the claims the admin sets", async () => {
    const token = sandbox.mintSessionToken({ shop: TEST_SHOP });
    const payload = await api().session.decodeSessionToken(token);
    expect(payload).toMatchObject({
      iss: `https://${TEST_SHOP}/admin`,
      dest: `https://${TEST_SHOP}`,
      aud: apiKey,
      sub: String(owner.id),
    });
    expect(payload.exp - payload.iat).toBe(60);
    expect(payload.nbf).toBe(payload.iat);
    expect(typeof payload.jti).toBe("string");
    expect(typeof payload.sid).toBe("string");
    expect(api().session.getJwtSessionId(new URL(payload.dest).hostname, payload.sub)).toBe(`${TEST_SHOP}_${owner.id}`);
  });

  it("are rejected when signed with another secret, expired, or meant for another app", async () => {
    await expect(
      api("another-secret").session.decodeSessionToken(sandbox.mintSessionToken({ shop: TEST_SHOP })),
    ).rejects.toThrow(/Failed to parse session token/);
    const old = mintSessionToken({
      shop: TEST_SHOP,
      apiKey,
      apiSecret,
      userId: owner.id,
      now: new Date(Date.now() - 5 * 60_000),
    });
    await expect(api().session.decodeSessionToken(old)).rejects.toThrow(/exp/);
    const otherApp = mintSessionToken({ shop: TEST_SHOP, apiKey: "other-app", apiSecret, userId: owner.id });
    await expect(api().session.decodeSessionToken(otherApp)).rejects.toThrow(/invalid API key/);
  });
});

describe("token exchange, as the library performs it", () => {
  it("trades a session token for an offline access token that works on Admin GraphQL", async () => {
    const { session } = await api().auth.tokenExchange({
      shop: TEST_SHOP,
      sessionToken: sandbox.mintSessionToken({ shop: TEST_SHOP }),
      requestedTokenType: RequestedTokenType.OfflineAccessToken,
    });
    expect(session.isOnline).toBe(false);
    expect(session.id).toBe(`offline_${TEST_SHOP}`);
    expect(session.accessToken).toMatch(/^shpat_/);
    expect(session.scope).toContain("read_orders");
    expect(sandbox.isAccessTokenValid(TEST_SHOP, session.accessToken!)).toBe(true);

    const client = new (api().clients.Graphql)({ session });
    const answer = await client.request<{ shop: { name: string; myshopifyDomain: string } }>(
      `query { shop { name myshopifyDomain } }`,
    );
    expect(answer.data?.shop).toEqual({ name: "Sandbox Test", myshopifyDomain: TEST_SHOP });
    expect((answer.extensions as { cost: { requestedQueryCost: number } }).cost.requestedQueryCost).toBe(1);
  });

  it("gives an online token with the staff member it belongs to", async () => {
    const { session } = await api().auth.tokenExchange({
      shop: TEST_SHOP,
      sessionToken: sandbox.mintSessionToken({ shop: TEST_SHOP }),
      requestedTokenType: RequestedTokenType.OnlineAccessToken,
    });
    expect(session.isOnline).toBe(true);
    expect(session.id).toBe(`${TEST_SHOP}_${owner.id}`);
    expect(session.onlineAccessInfo?.associated_user).toMatchObject({
      id: owner.id,
      email: owner.email,
      account_owner: true,
    });
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });

  it("answers 401 to Admin GraphQL for a token it did not issue", async () => {
    const forged = new Session({
      id: "x",
      shop: TEST_SHOP,
      state: "",
      isOnline: false,
      accessToken: "shpat_not-issued",
    });
    const client = new (api().clients.Graphql)({ session: forged });
    await expect(client.request(`query { shop { name } }`)).rejects.toMatchObject({ response: { code: 401 } });
  });
});

describe("the token endpoint itself", () => {
  const post = (body: Record<string, string>) =>
    sandbox.handleTokenExchange(
      new Request("http://127.0.0.1/admin/oauth/access_token", {
        method: "POST",
        headers: { "content-type": "application/json", "x-sandbox-shop-domain": TEST_SHOP },
        body: JSON.stringify(body),
      }),
    );
  const base = () => ({
    client_id: apiKey,
    client_secret: apiSecret,
    grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
    subject_token: sandbox.mintSessionToken({ shop: TEST_SHOP }),
    subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
    requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
  });

  it("refuses a wrong client secret", async () => {
    const response = await post({ ...base(), client_secret: "nope" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });

  it("refuses a subject token with a forged signature or for another shop", async () => {
    const forged = signJwt(
      {
        iss: `https://${TEST_SHOP}/admin`,
        dest: `https://${TEST_SHOP}`,
        aud: apiKey,
        sub: "1",
        exp: Date.now() / 1000 + 60,
      },
      "guessed",
    );
    const bad = await post({ ...base(), subject_token: forged });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_subject_token" });
    sandbox.createShop({ domain: "other-shop.myshopify.com" });
    const elsewhere = await post({
      ...base(),
      subject_token: sandbox.mintSessionToken({ shop: "other-shop.myshopify.com" }),
    });
    expect(elsewhere.status).toBe(400);
  });

  it("answers expiring offline tokens with a refresh token when asked", async () => {
    const response = await post({ ...base(), expiring: "1" });
    const body = await response.json();
    expect(body).toMatchObject({ expires_in: 3600, refresh_token_expires_in: expect.any(Number) });
    expect(body.refresh_token).toMatch(/^shprt_/);
  });
});
