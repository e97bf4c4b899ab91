/** What a shopper sends from the Contact block, checked before anything is stored. */
import { TOPICS, type Topic } from "./settings";

export interface ContactMessageInput {
  name: string;
  email: string;
  orderName: string | null;
  topic: Topic;
  message: string;
}

export type MessageCheck =
  { ok: true; value: ContactMessageInput } | { ok: false; errors: Partial<Record<keyof ContactMessageInput, string>> };

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export const MESSAGE_LIMITS = { name: 120, email: 254, orderName: 32, message: 5000, minMessage: 5 } as const;

/** `allowedTopics` is what the merchant offers; anything else is refused. */
export function checkContactMessage(raw: Record<string, unknown>, allowedTopics: ReadonlyArray<Topic>): MessageCheck {
  const str = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : "").trim();
  const name = str("name");
  const email = str("email").toLowerCase();
  const orderName = str("order").replace(/^#?/, "");
  const topic = str("topic");
  const message = str("message").replace(/\r\n/g, "\n");
  const errors: Partial<Record<keyof ContactMessageInput, string>> = {};
  if (!name) errors.name = "Enter your name.";
  else if (name.length > MESSAGE_LIMITS.name)
    errors.name = `Use at most ${MESSAGE_LIMITS.name} characters for your name.`;
  if (!EMAIL.test(email) || email.length > MESSAGE_LIMITS.email)
    errors.email = "Enter an email address we can answer to.";
  if (orderName && !/^[A-Za-z0-9-]{1,32}$/.test(orderName))
    errors.orderName = "Enter the order number as it appears on your confirmation, like #1001.";
  if (!(TOPICS as ReadonlyArray<string>).includes(topic) || !allowedTopics.includes(topic as Topic))
    errors.topic = "Choose a topic.";
  if (message.length < MESSAGE_LIMITS.minMessage) errors.message = "Tell us a little more so we can help.";
  else if (message.length > MESSAGE_LIMITS.message)
    errors.message = `Keep the message under ${MESSAGE_LIMITS.message} characters.`;
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: { name, email, orderName: orderName ? `#${orderName}` : null, topic: topic as Topic, message },
  };
}
