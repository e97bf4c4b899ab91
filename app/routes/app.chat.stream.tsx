import type { LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { authenticate } from "../shopify.server";
import { chatBus } from "../services/contact/chat-bus.server";
import { agentChatStream } from "../services/contact/chat-stream.server";

// GET /app/chat/stream: the shop's live chat events for the inbox (new messages, what shoppers
// type before they send, taken and closed chats), as server-sent events.
export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const auth = await authenticate.admin(request);
  // The session token names the staff member: their chat presence lasts while this stream is open.
  const sub = auth.sessionToken?.sub;
  return agentChatStream(request, {
    bus: chatBus(),
    shop: auth.session.shop,
    db: db(),
    agentUserId: typeof sub === "string" && sub ? sub : null,
    closed: context?.connectionClosed,
  });
};
