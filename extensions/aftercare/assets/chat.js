// @ts-check
/**
 * <aftercare-chat>: the shopper's live chat (docs/decisions/0034, 0040), loaded when a launcher
 * first opens. The app proxy hands out a short-lived token; messages then go straight to the app:
 * a server-sent event stream in (each message's id is its sequence number, so the browser's
 * Last-Event-ID resumes exactly after the last one shown) and text/plain POSTs out. Messages are
 * shown with textContent only. The visitor id stays in localStorage, so a reload continues the
 * same conversation, rebuilt from the stream in order.
 */
(() => {
  if (customElements.get("aftercare-chat")) return;

  const storeKey = "aftercare-chat";
  /** The shortest pause between two typing previews (the app allows 120 signals a minute). */
  const typingEvery = 1500;
  /** For a signal whose failure changes nothing (typing, seen): the next one says it again. */
  const quiet = () => null;

  /** @returns {{ v?: string, s?: boolean }} this browser's visitor id, and whether it has a chat */
  const stored = () => {
    try {
      return JSON.parse(localStorage.getItem(storeKey) || "{}");
    } catch {
      return {};
    }
  };
  /** @param {{ v?: string, s?: boolean }} value */
  const store = (value) => {
    try {
      localStorage.setItem(storeKey, JSON.stringify({ ...stored(), ...value }));
    } catch {
      // Storage refused (a private window): the chat lasts as long as the page.
    }
  };

  /**
   * @param {string} tag @param {string} [className] @param {string} [text]
   * @returns {HTMLElement}
   */
  const make = (tag, className, text) => {
    const el = document.createElement(tag);
    if (className) el.className = `aftercare-chat__${className}`;
    if (text) el.textContent = text;
    return el;
  };

  /**
   * @typedef {{ type: string, label: string, url?: string, purpose?: string, order?: string }} AssistantAction
   * @typedef {{ v: number, kind: string, actions?: AssistantAction[], fields?: string[], pendingOrder?: string,
   *   orders?: { shipments: { carrier?: string | null, trackingNumber?: string | null,
   *   trackingUrl?: string | null }[] }[] }} AssistantPayload
   * @typedef {{ seq: number, author: string, body: string, at: string, clientId?: string | null,
   *   agent?: string | null, agentPhotoUrl?: string | null, delivered?: boolean,
   *   payload?: AssistantPayload | null }} ChatMessage
   * @typedef {{ token: string, shop: string, endpoint: string, visitor: string, expiresAt: string }} ChatSession
   * @typedef {{ conversationId: string, status: string, agent?: string | null, agentPhotoUrl?: string | null,
   *   rated?: boolean, emailKnown?: boolean }} ChatStatus
   */

  /**
   * The assistant's answer beyond its text (docs/decisions/0041, payload v1; the body says the
   * same in plain words, so a payload this script does not know shows as text alone): tracking
   * links of the orders it found, a small form when it asks for an order, and its buttons.
   * @param {AftercareChat} chat @param {HTMLElement} li @param {AssistantPayload} p
   */
  function assistantParts(chat, li, p) {
    const more = make("div", "actions");
    for (const o of p.orders || [])
      for (const sh of o.shipments)
        if (sh.trackingUrl)
          more.append(link(sh.trackingUrl, [sh.carrier, sh.trackingNumber].filter(Boolean).join(" ")));
    if (p.fields?.length) {
      const form = /** @type {HTMLFormElement} */ (make("form", "ask"));
      form.dataset.ask = "";
      form.noValidate = true;
      for (const name of p.fields) {
        const input = Object.assign(document.createElement("input"), {
          className: "aftercare-chat__field",
          name,
          type: name === "email" ? "email" : "text",
          required: true,
          dir: "ltr",
          value: name === "order" ? p.pendingOrder || "" : "",
          autocomplete: name === "email" ? "email" : "off",
        });
        const label = make("label", "", chat.text(name === "email" ? "textEmail" : "textOrder"));
        label.append(input);
        form.append(label);
      }
      form.append(make("button", "send", chat.text("textFind")));
      form.addEventListener("submit", chat);
      more.append(form);
    }
    for (const a of p.actions || []) {
      if (a.type === "link" && a.url) {
        more.append(link(a.url, a.label, a.purpose !== "return"));
      } else {
        const button = make("button", "action", a.label);
        button.setAttribute("type", "button");
        button.dataset.action = JSON.stringify({
          kind: "action",
          action: a.type === "human" ? "human" : "track",
          order: a.order,
        });
        more.append(button);
      }
    }
    if (more.firstChild) li.append(more);
  }

  /** @param {string} href @param {string} text @param {boolean} [away] opens in a new tab */
  function link(href, text, away = true) {
    const a = /** @type {HTMLAnchorElement} */ (make("a", "link", text));
    a.href = href;
    if (away) Object.assign(a, { target: "_blank", rel: "noopener" });
    return a;
  }

  class AftercareChat extends HTMLElement {
    /** @type {AbortController} */ listening;
    /** @type {HTMLElement} */ log;
    /** @type {HTMLTextAreaElement} */ input;
    /** @type {string} */ locale;
    /** @type {EventSource | null} */ source = null;
    /** @type {Promise<ChatSession> | null} */ session = null;
    /** The conversation shown, and the last sequence number shown of it. */
    conversation = "";
    last = 0;
    failures = 0;
    typingAt = 0;
    seenUpTo = 0;
    /** Counts connects: an older one still waiting for its token gives way. */
    generation = 0;
    /** @type {Record<string, number>} */ timers = {};

    connectedCallback() {
      this.listening = new AbortController();
      const signal = this.listening.signal;
      this.locale = this.dataset.locale || document.documentElement.lang || "en";
      this.log = /** @type {HTMLElement} */ (this.querySelector("[data-log]"));
      this.input = /** @type {HTMLTextAreaElement} */ (this.querySelector("[data-input]"));
      for (const form of this.querySelectorAll("form")) form.addEventListener("submit", this, { signal });
      this.input.addEventListener("input", this, { signal });
      this.input.addEventListener("keydown", this, { signal });
      this.addEventListener("click", this, { signal });
      this.addEventListener("focusin", this, { signal });
      document.addEventListener("visibilitychange", this, { signal });
      // A browser that has chatted here before sees its conversation again at once.
      if (stored().s) this.connect();
    }

    disconnectedCallback() {
      this.listening.abort();
      this.source?.close();
      this.source = null;
      for (const id of Object.values(this.timers)) clearTimeout(id);
    }

    /** @param {Event} event */
    handleEvent(event) {
      const target = /** @type {HTMLElement} */ (event.target);
      if (event.type === "submit") {
        event.preventDefault();
        const form = /** @type {HTMLFormElement} */ (target);
        if (form.dataset.rating !== undefined) return this.rate(form);
        if (form.dataset.email !== undefined) return this.saveEmail(form);
        if (form.dataset.ask !== undefined) {
          const data = Object.fromEntries(new FormData(form));
          // The page's own check (no browser message in another language): every field filled.
          const empty = [...form.elements].find((el) => el instanceof HTMLInputElement && !el.value.trim());
          if (empty) return /** @type {HTMLElement} */ (empty).focus();
          return this.send(Object.values(data).join(" · "), undefined, { kind: "action", action: "track", ...data });
        }
        const text = this.input.value.trim();
        if (!text) return this.input.focus();
        this.input.value = "";
        clearTimeout(this.timers.typing);
        this.send(text);
      } else if (event.type === "keydown") {
        const key = /** @type {KeyboardEvent} */ (event);
        // Enter sends, Shift+Enter starts a new line (never while an IME is composing).
        if (key.key === "Enter" && !key.shiftKey && !key.isComposing) {
          event.preventDefault();
          this.input.form?.requestSubmit();
        }
      } else if (event.type === "input") {
        if (target === this.input) this.typing();
      } else if (event.type === "visibilitychange" || event.type === "focusin") {
        // Back on the page, or the dialog opened again (its field takes the focus): seen.
        this.seen();
      } else {
        const retry = /** @type {HTMLElement | null} */ (target.closest("[data-retry]"));
        const action = /** @type {HTMLElement | null} */ (target.closest("[data-action]"));
        if (retry) {
          const li = /** @type {HTMLElement} */ (retry.closest(".aftercare-chat__message"));
          this.send(li.querySelector("[dir=auto]")?.textContent || "", li, JSON.parse(li.dataset.extra || "{}"));
        } else if (action) {
          this.send(action.textContent || "", undefined, JSON.parse(action.dataset.action || "{}"));
        }
      }
    }

    /**
     * A word of the panel from its Liquid, placeholders filled; values are kept apart from the
     * sentence's direction (a Latin name or digits in a Persian sentence).
     * @param {string} key @param {Record<string, string>} [values] @returns {(string | Node)[]}
     */
    words(key, values = {}) {
      return (this.dataset[key] || "").split(/__(\w+?)__/).map((part, i) => {
        if (i % 2 === 0) return part;
        const bdi = document.createElement("bdi");
        bdi.textContent = values[part] ?? "";
        return bdi;
      });
    }

    /** @param {string} key @param {Record<string, string>} [values] */
    text(key, values) {
      return this.words(key, values)
        .map((p) => (typeof p === "string" ? p : p.textContent))
        .join("");
    }

    /** @param {string} key */
    say(key) {
      /** @type {HTMLElement} */ (this.querySelector("[data-status]")).textContent = key ? this.text(key) : "";
    }

    /** @param {number} n */
    number(n) {
      return new Intl.NumberFormat(this.locale).format(n);
    }

    /** The chat token (a new one shortly before it expires or after the app refused it). */
    token() {
      this.session ??= (async () => {
        const res = await fetch(`${this.dataset.endpoint}?visitor=${encodeURIComponent(stored().v || "")}`, {
          headers: { accept: "application/json" },
        });
        if (!res.ok) throw res;
        /** @type {ChatSession} */
        const s = await res.json();
        store({ v: s.visitor });
        // Asked again a minute before it expires.
        this.timers.session = window.setTimeout(
          () => (this.session = null),
          Date.parse(s.expiresAt) - Date.now() - 6e4,
        );
        return s;
      })().catch((error) => {
        this.session = null;
        throw error;
      });
      return this.session;
    }

    /**
     * One POST to the app; a refused token is renewed and the request sent once more.
     * @param {object} body @returns {Promise<Response>}
     */
    async post(body, again = true) {
      const s = await this.token();
      const res = await fetch(`${s.endpoint}/messages?shop=${encodeURIComponent(s.shop)}`, {
        method: "POST",
        // A string body is text/plain: no CORS preflight (decision 0034).
        body: JSON.stringify({ token: s.token, locale: this.locale, ...body }),
      });
      if (res.status === 401 && again) {
        this.session = null;
        return this.post(body, false);
      }
      return res;
    }

    /** Opens (or reopens) the stream after the last message shown. */
    async connect() {
      this.source?.close();
      this.source = null;
      clearTimeout(this.timers.connect);
      const generation = ++this.generation;
      try {
        const s = await this.token();
        if (!this.isConnected || generation !== this.generation) return;
        const query = new URLSearchParams({ shop: s.shop, token: s.token, after: String(this.last) });
        const source = new EventSource(`${s.endpoint}/stream?${query}`);
        this.source = source;
        source.onopen = () => {
          this.failures = 0;
          this.say("");
        };
        source.onerror = () => {
          // CONNECTING: the browser retries by itself with Last-Event-ID. CLOSED: the app
          // refused the stream (an expired token, too many windows): a new token, after a pause.
          if (source.readyState === source.CLOSED) this.retryLater();
          else this.say("textReconnecting");
        };
        /** @param {string} type @param {(data: any) => void} handle */
        const on = (type, handle) => source.addEventListener(type, (e) => handle(JSON.parse(e.data)));
        on("message", (m) => this.receive(m));
        on("status", (state) => this.status(state));
        on("typing", (t) => this.agentTyping(t.agent));
        on("delivered", (d) => {
          for (const li of this.log.querySelectorAll("[data-author=customer][data-seq]"))
            if (Number(/** @type {HTMLElement} */ (li).dataset.seq) <= d.upTo)
              this.state(/** @type {HTMLElement} */ (li), "delivered");
        });
      } catch {
        this.retryLater();
      }
    }

    retryLater() {
      this.source?.close();
      this.source = null;
      this.session = null;
      if (++this.failures > 6) return this.say("textUnavailable");
      this.say("textReconnecting");
      this.timers.connect = window.setTimeout(() => this.connect(), Math.min(1e3 * 2 ** this.failures, 3e4));
    }

    /**
     * The chat's state: who answers (name and photo), and once it has ended, a notice and the
     * rating (1 to 5 and a comment), or thanks once rated.
     * @param {ChatStatus} s
     */
    status(s) {
      this.conversation = s.conversationId;
      const agent = /** @type {HTMLElement} */ (this.querySelector("[data-agent]"));
      agent.hidden = !s.agent;
      if (s.agent) agent.replaceChildren(...this.who(s.agent, s.agentPhotoUrl, "textAnswering"));
      // Where a late answer goes: asked while the chat is open and the app has no email for it.
      const email = /** @type {HTMLFormElement} */ (this.querySelector("[data-email]"));
      if (email.dataset.saved === undefined) email.hidden = s.emailKnown !== false || s.status === "closed";
      let end = /** @type {HTMLElement | null} */ (this.log.querySelector(`[data-ended="${s.conversationId}"]`));
      if (s.status !== "closed") return end?.remove();
      if (!end) {
        end = make("div", "notice");
        end.dataset.ended = s.conversationId;
        end.append(make("p", "", this.text("textClosed")));
        if (!s.rated) end.append(this.ratingForm());
        this.log.append(end);
        this.scroll();
      }
      const form = end.querySelector("form");
      if (s.rated && form) form.replaceWith(make("p", "", this.text("textRatingThanks")));
    }

    /**
     * An agent's photo (when the app sends one) and name.
     * @param {string} name @param {string | null | undefined} photo @param {string} [key]
     */
    who(name, photo, key) {
      /** @type {(string | Node)[]} */
      const parts = key ? this.words(key, { name }) : [name];
      if (photo) {
        const img = /** @type {HTMLImageElement} */ (make("img", "photo"));
        // Decorative: the name is written beside it.
        Object.assign(img, { src: photo, alt: "", width: 32, height: 32 });
        parts.unshift(img);
      }
      return parts;
    }

    /** @param {string | null} name the agent's first name, when the app knows it */
    agentTyping(name) {
      const line = /** @type {HTMLElement} */ (this.querySelector("[data-typing]"));
      line.replaceChildren(...this.words("textTyping", { name: name || this.text("textTeam") }));
      clearTimeout(this.timers.agentTyping);
      this.timers.agentTyping = window.setTimeout(() => line.replaceChildren(), 5000);
    }

    /**
     * A message from the stream: new ones in sequence order, the shopper's own sends matched by
     * their client id (so nothing shows twice), everything before any send still on its way.
     * @param {ChatMessage} m
     */
    receive(m) {
      if (m.seq <= this.last) return;
      this.last = m.seq;
      const mine = m.clientId ? this.log.querySelector(`[data-client="${CSS.escape(m.clientId)}"]`) : null;
      const li = /** @type {HTMLElement} */ (mine || this.bubble(m));
      li.removeAttribute("data-pending");
      // What the app stored (a button's words, an order looked up) replaces what the page guessed.
      /** @type {HTMLElement} */ (li.querySelector("[dir=auto]")).textContent = m.body;
      li.dataset.seq = String(m.seq);
      this.log.insertBefore(li, this.log.querySelector("[data-pending]"));
      if (m.author === "customer") this.state(li, m.delivered ? "delivered" : "sent");
      else {
        /** @type {HTMLElement} */ (this.querySelector("[data-typing]")).replaceChildren();
        clearTimeout(this.timers.seen);
        this.timers.seen = window.setTimeout(() => this.seen(), 300);
      }
      this.scroll();
    }

    /**
     * The element of one message: who, the text, the time; an assistant's answer adds its links,
     * form and buttons (assistantParts).
     * @param {ChatMessage} m
     */
    bubble(m) {
      const li = make("div", "message");
      li.dataset.author = m.author;
      if (m.clientId) li.dataset.client = m.clientId;
      const previous = /** @type {HTMLElement | undefined} */ (
        [...this.log.querySelectorAll(":scope > :not([data-pending])")].pop()
      );
      const name =
        m.author === "customer"
          ? this.text("textYou")
          : m.agent || this.text(m.author === "assistant" ? "textAssistant" : "textTeam");
      const who = make("p", "who");
      who.append(...(m.author === "customer" ? [name] : this.who(name, m.agentPhotoUrl)));
      // The name once per run of messages from the same person; always there for screen readers.
      if (m.author === "customer" || (previous?.dataset.author === m.author && previous.dataset.name === name))
        who.classList.add("aftercare-chat__hidden");
      li.dataset.name = name;
      const body = make("p", "text", m.body);
      body.dir = "auto";
      const meta = make("p", "meta");
      const time = make(
        "time",
        "",
        new Intl.DateTimeFormat(this.locale, { hour: "numeric", minute: "2-digit" }).format(new Date(m.at)),
      );
      time.setAttribute("datetime", m.at);
      meta.append(time);
      li.append(who, body, meta);
      if (m.payload?.v === 1) assistantParts(this, li, m.payload);
      return li;
    }

    /**
     * A message's delivery state: sending, sent, delivered (an agent has seen it) or failed (with
     * the reason and a retry button).
     * @param {HTMLElement} li @param {"sending" | "sent" | "delivered" | "failed"} state @param {string} [reason]
     */
    state(li, state, reason) {
      if (li.dataset.state === "delivered" || (li.dataset.state === state && !reason)) return;
      li.dataset.state = state;
      const meta = /** @type {HTMLElement} */ (li.querySelector(".aftercare-chat__meta"));
      const label = make("span", "state", this.text(`text${state[0].toUpperCase()}${state.slice(1)}`));
      /** @type {Node[]} */
      const parts = [/** @type {Node} */ (meta.firstChild), label];
      if (state === "failed") {
        if (reason) parts.push(make("span", "", reason));
        const retry = make("button", "retry", this.text("textRetry"));
        Object.assign(retry, { type: "button" });
        retry.dataset.retry = "";
        parts.push(retry);
      }
      meta.replaceChildren(...parts);
    }

    /**
     * Sends a message (or again, a failed one: the same client id, so the app stores it once).
     * @param {string} text @param {HTMLElement} [failed] @param {object} [extra]
     */
    async send(text, failed, extra = {}) {
      let li = failed;
      if (!li) {
        const clientId = (crypto.randomUUID?.() || `${Date.now()}-${Math.random()}`).replace(/[^\w-]/g, "");
        li = this.bubble({ seq: 0, author: "customer", body: text, at: new Date().toISOString(), clientId });
        li.dataset.pending = "";
        // A button's request is sent again as it was (Try again).
        if (Object.keys(extra).length) li.dataset.extra = JSON.stringify(extra);
        this.log.append(li);
        this.scroll();
      }
      this.state(li, "sending");
      try {
        const res = await this.post({ kind: "message", text, clientId: li.dataset.client, ...extra });
        const answer = await res.json().catch(() => ({}));
        if (!res.ok) {
          const reason =
            res.status === 413
              ? this.text("textTooLong", { max: this.number(2000) })
              : res.status === 429
                ? this.text("textRateLimited")
                : "";
          return this.state(li, "failed", reason);
        }
        if (li.dataset.pending !== undefined) this.state(li, "sent");
        // The first message starts the chat, or a new one after the last was closed: read it
        // from its start (what the page already shows is matched by client id).
        const other = this.conversation && answer.conversationId !== this.conversation;
        if (other) this.last = 0;
        this.conversation = answer.conversationId;
        store({ s: true });
        if (!this.source || other) this.connect();
      } catch {
        this.state(li, "failed");
      }
    }

    /** What the shopper is typing, relayed to the agents at most every 1.5 s, the last always. */
    typing() {
      if (!stored().s) return;
      clearTimeout(this.timers.typing);
      this.timers.typing = window.setTimeout(
        () => {
          this.typingAt = Date.now();
          this.post({ kind: "typing", text: this.input.value }).catch(quiet);
        },
        Math.max(0, this.typingAt + typingEvery - Date.now()),
      );
    }

    /** Tells the agents the shopper has seen their messages (only while the panel shows). */
    seen() {
      const dialog = this.closest("dialog");
      if (document.hidden || (dialog && !dialog.open)) return;
      let upTo = 0;
      for (const li of this.log.querySelectorAll("[data-author=merchant][data-seq]"))
        upTo = Math.max(upTo, Number(/** @type {HTMLElement} */ (li).dataset.seq));
      if (upTo <= this.seenUpTo) return;
      this.seenUpTo = upTo;
      this.post({ kind: "delivered", upTo }).catch(quiet);
    }

    /** The end-of-chat rating: 1 to 5 (in the shopper's digits) and an optional comment. */
    ratingForm() {
      const form = /** @type {HTMLFormElement} */ (make("form", "rating"));
      form.dataset.rating = "";
      form.noValidate = true;
      const set = make("fieldset");
      set.append(make("legend", "", this.text("textRatingQuestion")));
      for (let score = 1; score <= 5; score++) {
        const label = make("label", "score");
        const radio = Object.assign(document.createElement("input"), { type: "radio", name: "score", value: score });
        radio.required = true;
        radio.setAttribute(
          "aria-label",
          this.text("textRatingScore", { score: this.number(score), max: this.number(5) }),
        );
        label.append(radio, this.number(score));
        set.append(label);
      }
      const comment = Object.assign(document.createElement("textarea"), { name: "comment", rows: 2 });
      comment.setAttribute("aria-label", this.text("textRatingComment"));
      comment.placeholder = this.text("textRatingComment");
      form.append(set, comment, make("button", "send", this.text("textRatingSend")));
      form.addEventListener("submit", this);
      return form;
    }

    /** @param {HTMLFormElement} form the email form */
    async saveEmail(form) {
      const input = /** @type {HTMLInputElement} */ (form.elements.namedItem("email"));
      input.setCustomValidity("");
      const res = await this.post({ kind: "email", email: input.value.trim() }).catch(() => null);
      if (res?.ok) {
        const saved = /** @type {HTMLElement} */ (this.querySelector("[data-email]"));
        saved.hidden = true;
        saved.dataset.saved = "";
        return this.say("textEmailSaved");
      }
      // The app's 400 means it is not an address; anything else, the shopper may try again.
      input.setCustomValidity(this.text(res?.status === 400 ? "textEmailInvalid" : "textUnavailable"));
      input.reportValidity();
    }

    /** @param {HTMLFormElement} form */
    async rate(form) {
      const data = new FormData(form);
      if (!data.get("score")) return form.querySelector("input")?.focus();
      const button = /** @type {HTMLButtonElement} */ (form.querySelector("button"));
      button.disabled = true;
      try {
        const res = await this.post({ kind: "rating", score: Number(data.get("score")), comment: data.get("comment") });
        // 409: rated already (another window); either way, thanks.
        if (!res.ok && res.status !== 409) throw res;
        form.replaceWith(make("p", "", this.text("textRatingThanks")));
      } catch {
        button.disabled = false;
      }
    }

    scroll() {
      this.log.scrollTop = this.log.scrollHeight;
    }
  }

  customElements.define("aftercare-chat", AftercareChat);
})();
