import type { LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { chatBus } from "../services/contact/chat-bus.server";
import { chatAnswer, chatErrorAnswer, CHAT_CORS } from "../services/contact/chat-http.server";
import { findChat, verifyChatToken } from "../services/contact/chat.server";
import { shopperChatStream } from "../services/contact/chat-stream.server";

// GET /chat/stream?shop=…&token=…: the shopper's chat as server-sent events, straight from the
// app (not the app proxy). Each message's event id is its sequence number: a reconnect sends
// Last-Event-ID and gets only what came after.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const secret = env().SHOPIFY_API_SECRET;
  try {
    const id = verifyChatToken(url.searchParams.get("token"), url.searchParams.get("shop") ?? "", secret, new Date());
    const chat = await findChat(db(), secret, id);
    if (!chat) return chatAnswer({ error: "no_chat", message: "There is no chat yet." }, 404);
    const after = Number(request.headers.get("last-event-id") ?? url.searchParams.get("after") ?? "0");
    return shopperChatStream(
      request,
      { db: db(), bus: chatBus(), shop: id.shop, conversationId: chat.id, after },
      CHAT_CORS,
    );
  } catch (error) {
    return chatErrorAnswer(error);
  }
};
