/**
 * Answers of the chat endpoints the storefront reaches directly (docs/decisions/0034): JSON with
 * `Access-Control-Allow-Origin: *` (no cookie is involved: the chat token is in the request), and
 * a ChatError as its clear 4xx; anything else is rethrown.
 */
import { PROXY_JSON_HEADERS } from "../app-proxy.server";

import { ChatError } from "./chat.server";

export const CHAT_CORS = { "Access-Control-Allow-Origin": "*" } as const;

export function chatAnswer(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...PROXY_JSON_HEADERS, ...CHAT_CORS, ...headers },
  });
}

export function chatErrorAnswer(error: unknown): Response {
  if (!(error instanceof ChatError)) throw error;
  const retry = error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : undefined;
  return chatAnswer(
    {
      error: error.code,
      message: error.message,
      ...(error.retryAfterSeconds ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    },
    error.status,
    retry,
  );
}
