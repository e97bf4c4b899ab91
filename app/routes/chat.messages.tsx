import type { ActionFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { shopperAddress } from "../services/app-proxy.server";
import { chatBus } from "../services/contact/chat-bus.server";
import { sendShopperMessageWithAssistant } from "../services/contact/chat-assistant.server";
import { chatAnswer, chatErrorAnswer } from "../services/contact/chat-http.server";
import {
  ChatError,
  findChat,
  limitShopperSignal,
  markChatDelivered,
  rateChat,
  relayShopperTyping,
  setChatEmail,
  verifyChatToken,
} from "../services/contact/chat.server";
import { readTextLimited } from "../utils/body.server";

const MAX_BODY = 16_000;

export const loader = () => chatAnswer({ error: "method_not_allowed", message: "Send chat messages with POST." }, 405);

// POST /chat/messages?shop=…, a text/plain JSON body (no CORS preflight):
// {token, kind: "message", text, clientId, locale} | {token, kind: "typing", text} | {token, kind: "delivered", upTo}
// | {token, kind: "email", email} (where a reply goes once the shopper has left)
// | {token, kind: "rating", score: 1-5, comment} (once the chat is closed, once per chat; docs/decisions/0042)
// | {token, kind: "action", action: "track" | "human", order?, email?, clientId, locale} (a button
//   under an assistant message, docs/decisions/0041)
export const action = async ({ request }: ActionFunctionArgs) => {
  const config = env();
  const deps = { db: db(), secret: config.SHOPIFY_API_SECRET, now: new Date(), bus: chatBus() };
  try {
    if (request.method !== "POST") throw new ChatError(400, "invalid_request", "Send chat messages with POST.");
    // At most 4 bytes a character: the byte ceiling never refuses a body the length check allows.
    const raw = await readTextLimited(request, MAX_BODY * 4);
    if (raw === null || raw.length > MAX_BODY) throw new ChatError(413, "too_long", "The message is too long.");
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch {
      body = {};
    }
    if (!body || typeof body !== "object" || Array.isArray(body))
      throw new ChatError(400, "invalid_request", "The message could not be read; send it again.");
    const shop = new URL(request.url).searchParams.get("shop") ?? "";
    const id = verifyChatToken(typeof body.token === "string" ? body.token : null, shop, deps.secret, deps.now);
    const clientIp = shopperAddress(request.headers.get("x-forwarded-for"), config.TRUSTED_PROXY_HOPS);
    if (body.kind === "message" || body.kind === "action") {
      // The assistant answers after the shopper's message when nobody is available (0041).
      const sent = await sendShopperMessageWithAssistant(deps, id, {
        text: body.text,
        clientId: body.clientId,
        locale: typeof body.locale === "string" ? body.locale : null,
        clientIp,
        ...(body.kind === "action" ? { action: { action: body.action, order: body.order, email: body.email } } : {}),
      });
      return chatAnswer(sent, sent.repeated ? 200 : 201);
    }
    if (body.kind === "rating" || body.kind === "email") {
      await limitShopperSignal(deps, id, clientIp);
      if (body.kind === "email") return chatAnswer(await setChatEmail(deps, id, body.email));
      return chatAnswer(await rateChat(deps, id, { score: body.score, comment: body.comment }), 201);
    }
    if (body.kind === "typing" || body.kind === "delivered") await limitShopperSignal(deps, id, clientIp);
    if (body.kind === "typing") {
      await relayShopperTyping(deps, id, body.text);
      return chatAnswer({ ok: true });
    }
    if (body.kind === "delivered") {
      const chat = await findChat(deps.db, deps.secret, id);
      if (!chat) throw new ChatError(404, "no_chat", "There is no chat yet.");
      await markChatDelivered(deps, id.shop, chat.id, "customer", Number(body.upTo));
      return chatAnswer({ ok: true });
    }
    throw new ChatError(400, "invalid_request", "The message could not be read; send it again.");
  } catch (error) {
    return chatErrorAnswer(error);
  }
};
