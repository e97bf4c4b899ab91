import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { db } from "../db.server";
import { env } from "../env.server";
import { AGENT_PHOTO } from "../domain/contact/agents";
import { authenticate } from "../shopify.server";
import {
  AgentProfileError,
  agentSelf,
  removeAgentPhoto,
  saveAgentDisplayName,
  saveAgentPhoto,
  setAgentAvailability,
} from "../services/contact/agents.server";
import { actingStaff } from "../services/staff.server";

// The signed-in agent's live chat settings (docs/decisions/0042), posted from the inbox:
// intent=availability (available=true|false), intent=profile (displayName), intent=photo (a
// multipart upload, field "photo"), intent=removePhoto. Answers are JSON; bad input is a 4xx whose
// `error` is an admin message key and `message` a sentence.

async function who(request: Request) {
  const auth = await authenticate.admin(request);
  const config = env();
  const me = await actingStaff(
    { db: db(), apiKey: config.SHOPIFY_API_KEY, apiSecret: config.SHOPIFY_API_SECRET, now: new Date() },
    request,
    auth,
  );
  if (!me) throw json({ ok: false, error: "inbox.agent.error.who", message: "Reload the page." }, { status: 400 });
  return { shop: auth.session.shop, userId: me.userId };
}

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, userId } = await who(request);
  return json(await agentSelf(db(), shop, userId, new Date()));
};

const problemAnswer = (error: AgentProfileError) =>
  json(
    { ok: false as const, error: `inbox.agent.error.${error.problem.code}`, message: error.problem.message },
    { status: error.problem.status },
  );

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, userId } = await who(request);
  const now = new Date();
  // Refused before the body is read: a photo of 5 MB and a little form around it at most.
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > AGENT_PHOTO.maxBytes + 64 * 1024) {
    return json(
      { ok: false as const, error: "inbox.agent.error.photo_too_large", message: "Upload a photo of at most 5 MB." },
      { status: 413 },
    );
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return json(
      { ok: false as const, error: "inbox.agent.error.unreadable", message: "The form could not be read." },
      { status: 400 },
    );
  }
  const intent = form.get("intent");
  try {
    if (intent === "availability") {
      const available = form.get("available") === "true";
      await setAgentAvailability(db(), shop, userId, available, now);
      return json({ ok: true as const, intent, available });
    }
    if (intent === "profile") {
      const name = await saveAgentDisplayName(db(), shop, userId, form.get("displayName"), now);
      return json({ ok: true as const, intent, displayName: name ?? "" });
    }
    if (intent === "photo") {
      const file = form.get("photo");
      const upload =
        file && typeof file === "object" ? { type: file.type, size: file.size, bytes: () => file.arrayBuffer() } : null;
      const saved = await saveAgentPhoto(db(), shop, userId, upload, now);
      return json({ ok: true as const, intent, photoUrl: saved.photoUrl });
    }
    if (intent === "removePhoto") {
      await removeAgentPhoto(db(), shop, userId, now);
      return json({ ok: true as const, intent, photoUrl: null });
    }
  } catch (error) {
    if (error instanceof AgentProfileError) return problemAnswer(error);
    throw error;
  }
  return json(
    { ok: false as const, error: "inbox.agent.error.unreadable", message: "The form could not be read." },
    { status: 400 },
  );
};
