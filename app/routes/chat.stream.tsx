import type { LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { chatBus } from "../services/contact/chat-bus.server";
import { chatAnswer, chatErrorAnswer, CHAT_CORS } from "../services/contact/chat-http.server";
import { ChatError, findChat, verifyChatToken } from "../services/contact/chat.server";
import { holdStreamSlot, shopperChatStream } from "../services/contact/chat-stream.server";
import { shopperAddress } from "../services/app-proxy.server";
import { clientKey } from "../services/rate-limit.server";

// GET /chat/stream?shop=…&token=…: the shopper's chat as server-sent events, straight from the
// app (not the app proxy). Each message's event id is its sequence number: a reconnect sends
// Last-Event-ID and gets only what came after.
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const { SHOPIFY_API_SECRET: secret, TRUSTED_PROXY_HOPS } = env();
  try {
    const id = verifyChatToken(url.searchParams.get("token"), url.searchParams.get("shop") ?? "", secret, new Date());
    const chat = await findChat(db(), secret, id);
    if (!chat) return chatAnswer({ error: "no_chat", message: "There is no chat yet." }, 404);
    const after = Number(request.headers.get("last-event-id") ?? url.searchParams.get("after") ?? "0");
    const address = shopperAddress(request.headers.get("x-forwarded-for"), TRUSTED_PROXY_HOPS);
    const release = holdStreamSlot(
      clientKey(secret, id.shop, id.visitor),
      address ? clientKey(secret, id.shop, address) : null,
    );
    if (!release) throw new ChatError(429, "too_many_streams", "This chat is open in too many windows; close one.", 5);
    try {
      return shopperChatStream(
        request,
        {
          db: db(),
          bus: chatBus(),
          shop: id.shop,
          conversationId: chat.id,
          after,
          release,
          closed: context?.connectionClosed,
        },
        CHAT_CORS,
      );
    } catch (error) {
      release();
      throw error;
    }
  } catch (error) {
    return chatErrorAnswer(error);
  }
};
