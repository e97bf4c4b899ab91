import type { LoaderFunctionArgs } from "@remix-run/node";

import { db } from "../db.server";
import { getAgentPhoto } from "../models/staff.server";
import { CHAT_CORS } from "../services/contact/chat-http.server";

// GET /chat/agents/<photoId>: an agent's chat photo (docs/decisions/0042), loaded by the storefront
// from the app's own origin. A new photo gets a new id, so an answer never changes: cached for good.
export const loader = async ({ params }: LoaderFunctionArgs) => {
  const id = params.photoId ?? "";
  const photo = /^[a-z0-9]{10,40}$/i.test(id) ? await getAgentPhoto(db(), id) : null;
  if (!photo) {
    return new Response("No such photo.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...CHAT_CORS },
    });
  }
  return new Response(new Uint8Array(photo.bytes), {
    headers: {
      "Content-Type": photo.contentType,
      "Cache-Control": "public, max-age=31536000, immutable",
      "X-Content-Type-Options": "nosniff",
      "Cross-Origin-Resource-Policy": "cross-origin",
      ...CHAT_CORS,
    },
  });
};
