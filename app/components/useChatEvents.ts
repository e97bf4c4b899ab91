/**
 * The shop's live chat events in an admin page (docs/decisions/0034): reads /app/chat/stream with
 * fetch (App Bridge adds the session token to the app's own requests; an EventSource could not)
 * and calls `onEvent` for each; reconnects after a pause if the stream ends or fails.
 */
import { useEffect, useRef } from "react";

export interface AgentChatEvent {
  kind: "message" | "typing" | "delivered" | "status";
  conversationId: string;
  from: "customer" | "merchant";
  preview: string | null;
}

export function useChatEvents(onEvent: (event: AgentChatEvent) => void) {
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => {
    const controller = new AbortController();
    const pause = () => new Promise((resolve) => setTimeout(resolve, 3000));
    (async () => {
      while (!controller.signal.aborted) {
        try {
          const res = await fetch("/app/chat/stream", {
            signal: controller.signal,
            headers: { accept: "text/event-stream" },
          });
          if (!res.ok || !res.body) throw new Error(`chat stream ${res.status}`);
          const reader = res.body.getReader();
          const decoder = new TextDecoder();
          let buffer = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += decoder.decode(value, { stream: true });
            let end: number;
            while ((end = buffer.indexOf("\n\n")) >= 0) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const kind = /^event: (.+)$/m.exec(block)?.[1];
              const data = /^data: (.+)$/m.exec(block)?.[1];
              if (kind && data) latest.current({ kind, ...JSON.parse(data) } as AgentChatEvent);
            }
          }
        } catch {
          // Aborted on leaving the page, or the network failed: the loop decides.
        }
        if (!controller.signal.aborted) await pause();
      }
    })();
    return () => controller.abort();
  }, []);
}
