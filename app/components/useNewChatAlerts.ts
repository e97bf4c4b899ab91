/**
 * New chats while the inbox is open in a tab the agent is not looking at (docs/decisions/0042): the
 * tab's title counts them ("(2) Inbox"), the browser shows a notification when the agent allowed
 * them, and App Bridge's toast says it when the tab is in view. The count resets once the tab is
 * seen again.
 */
import { useEffect, useRef } from "react";

import type { AgentChatEvent } from "./useChatEvents";

export function useNewChatAlerts(knownChatIds: ReadonlyArray<string>, words: { title: string; body: string }) {
  const known = useRef(new Set(knownChatIds));
  const unseen = useRef(0);
  const baseTitle = useRef<string | null>(null);
  const latestWords = useRef(words);
  latestWords.current = words;
  useEffect(() => {
    for (const id of knownChatIds) known.current.add(id);
  }, [knownChatIds]);
  useEffect(() => {
    const seen = () => {
      if (document.visibilityState !== "visible" || baseTitle.current === null) return;
      document.title = baseTitle.current;
      baseTitle.current = null;
      unseen.current = 0;
    };
    document.addEventListener("visibilitychange", seen);
    return () => document.removeEventListener("visibilitychange", seen);
  }, []);

  return (event: AgentChatEvent) => {
    if (event.kind !== "message" || event.from !== "customer" || known.current.has(event.conversationId)) return;
    known.current.add(event.conversationId);
    const { title, body } = latestWords.current;
    if (document.visibilityState === "visible") {
      if (typeof shopify !== "undefined") shopify.toast.show(title);
      return;
    }
    if (baseTitle.current === null) baseTitle.current = document.title.replace(/^\(\d+\) /, "");
    unseen.current += 1;
    document.title = `(${unseen.current}) ${baseTitle.current}`;
    if (typeof Notification !== "undefined" && Notification.permission === "granted") {
      // One notification per chat (its tag), which brings the agent back to the inbox on click.
      const note = new Notification(title, { body, tag: `chat-${event.conversationId}` });
      note.onclick = () => {
        window.focus();
        note.close();
      };
    }
  };
}
