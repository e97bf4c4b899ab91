// @ts-check
/*
 * <aftercare-contact>: fills the Contact block from /apps/aftercare/contact and sends its form.
 * Liquid rendered every word; this script only adds data and behaviour. No framework.
 */
(() => {
  if (customElements.get("aftercare-contact")) return;

  /** @type {Record<string, string>} */
  const channelIcons = { email: "✉", phone: "☎", sms: "✆", whatsapp: "◎", messenger: "◉", instagram: "◈", chat: "✦" };

  /** @param {string} template @param {Record<string, string>} values */
  function fill(template, values) {
    // Liquid's t filter filled each placeholder with a __name__ marker (blocks/contact.liquid).
    return template.replace(/__(\w+?)__/g, (_, k) => (k in values ? values[k] : ""));
  }

  /**
   * A part the block's Liquid always renders.
   * @template {Element} [T=HTMLElement] @param {ParentNode} root @param {string} selector @returns {T}
   */
  const find = (root, selector) => /** @type {T} */ (root.querySelector(selector));

  class AftercareContact extends HTMLElement {
    /** @type {AbortController} removes the listeners on disconnect */ listening;
    /** @type {string} */ locale;
    /** @type {HTMLFormElement | null} */ form;
    /** @type {HTMLInputElement | null} */ search;
    /** @type {ContactConfig} */ config;
    /** In-flight requests by purpose (loading the block, sending the form); leaving the page ends them. */
    requests = new Map();

    connectedCallback() {
      this.listening = new AbortController();
      this.locale = this.dataset.locale || document.documentElement.lang || "en";
      this.form = this.querySelector("[data-form]");
      this.search = this.querySelector("[data-faq-search]");
      this.form?.addEventListener("submit", (e) => this.submit(e), { signal: this.listening.signal });
      this.search?.addEventListener("input", () => this.filterFaq(), { signal: this.listening.signal });
      // "Chat with us" is the chat embed's launcher element: its script, unless the embed brought it.
      const launcher = this.dataset.launcherScript;
      if (launcher && !customElements.get("aftercare-launcher"))
        document.head.append(Object.assign(document.createElement("script"), { src: launcher }));
      this.load();
    }

    disconnectedCallback() {
      this.listening.abort();
      const pending = [...this.requests.values()];
      this.requests.clear();
      for (const controller of pending) controller.abort();
    }

    /**
     * One request to the app proxy; null once leaving the page (or a newer one of the same
     * purpose) replaced it. Given up after 15 s, as a request that never answers would otherwise
     * leave "Sending…" showing until the browser gives up.
     * @param {string} purpose @param {object} [body] @returns {Promise<ProxyReply<any> | null>}
     */
    async call(purpose, body) {
      this.requests.get(purpose)?.abort();
      const controller = new AbortController();
      this.requests.set(purpose, controller);
      const current = () => this.requests.get(purpose) === controller;
      const timer = setTimeout(() => controller.abort(), 15e3);
      try {
        const res = await fetch(`${this.dataset.endpoint}?locale=${encodeURIComponent(this.locale)}`, {
          method: body ? "POST" : "GET",
          headers: body
            ? { "content-type": "application/json", accept: "application/json" }
            : { accept: "application/json" },
          body: body && JSON.stringify(body),
          signal: controller.signal,
        });
        const json = await res.json().catch(() => ({}));
        return current() ? /** @type {ProxyReply<any>} */ ({ ok: res.ok, status: res.status, body: json }) : null;
      } catch (error) {
        if (!current()) return null;
        throw error;
      } finally {
        clearTimeout(timer);
        if (current()) this.requests.delete(purpose);
      }
    }

    /** @param {string} text */
    say(text) {
      find(this, "[data-status]").textContent = text;
    }

    async load() {
      try {
        /** @type {ProxyReply<ContactConfig> | null} */
        const answer = await this.call("load");
        if (!answer) return;
        this.removeAttribute("aria-busy");
        if (!answer.ok) return this.say(this.dataset.textUnavailable || "");
        this.config = answer.body;
        this.render();
      } catch {
        this.removeAttribute("aria-busy");
        this.say(this.dataset.textUnavailable || "");
      }
    }

    /** @param {number} minutes */
    duration(minutes) {
      const [value, unit] =
        minutes % 1440 === 0
          ? [minutes / 1440, "day"]
          : minutes % 60 === 0
            ? [minutes / 60, "hour"]
            : [minutes, "minute"];
      return new Intl.NumberFormat(this.locale, { style: "unit", unit: String(unit), unitDisplay: "long" }).format(
        Number(value),
      );
    }

    /** @param {string} iso */
    when(iso) {
      return new Intl.DateTimeFormat(this.locale, {
        weekday: "long",
        hour: "numeric",
        minute: "2-digit",
        timeZone: this.config.timeZone,
      }).format(new Date(iso));
    }

    render() {
      const c = this.config;
      const text = this.dataset;
      const channels = find(this, "[data-channels]");
      if (c.channels.length) {
        find(this, "[data-channels-section]").hidden = false;
        const availability = find(this, "[data-availability]");
        availability.textContent =
          (c.open
            ? text.textOnline
            : c.nextOpenAt
              ? fill(text.textBackAt || "", { when: this.when(c.nextOpenAt) })
              : text.textOffline) || "";
        availability.dataset.open = String(c.open);
        channels.replaceChildren(
          ...c.channels.map((ch) => {
            const li = document.createElement("li");
            li.className = "aftercare-contact__channel";
            li.dataset.kind = ch.kind;
            const a = document.createElement("a");
            a.href = ch.href;
            if (ch.href.startsWith("https:")) {
              a.target = "_blank";
              a.rel = "noopener noreferrer";
            }
            const icon = document.createElement("span");
            icon.setAttribute("aria-hidden", "true");
            icon.className = "aftercare-contact__icon";
            icon.textContent = channelIcons[ch.kind] || "•";
            const name = document.createElement("span");
            name.className = "aftercare-contact__channel-name";
            name.textContent = this.querySelector(`[data-channel-name="${ch.kind}"]`)?.textContent || ch.kind;
            a.append(icon, name);
            if (ch.display) {
              // The address or number itself, so it can be copied; kept left-to-right in RTL.
              const value = document.createElement("span");
              value.className = "aftercare-contact__channel-value";
              value.dir = "ltr";
              value.textContent = ch.display;
              a.append(value);
            }
            const meta = document.createElement("span");
            meta.className = "aftercare-contact__muted";
            const dot = document.createElement("span");
            dot.className = "aftercare-contact__dot";
            dot.dataset.online = String(ch.online);
            meta.append(
              dot,
              " ",
              (ch.online
                ? fill(text.textRepliesWithin || "", { duration: this.duration(ch.replyMinutes) })
                : text.textOffline) || "",
            );
            li.append(a, meta);
            return li;
          }),
        );
      }
      const faq = this.querySelector("[data-faq]");
      if (faq && c.faq.length) {
        find(this, "[data-faq-section]").hidden = false;
        faq.replaceChildren(
          ...c.faq.map((group) => {
            const section = document.createElement("div");
            section.className = "aftercare-contact__faq-group";
            const h = document.createElement("h4");
            h.textContent = group.category;
            section.append(h);
            for (const q of group.questions) {
              const details = document.createElement("details");
              details.className = "aftercare-contact__faq-item";
              const summary = document.createElement("summary");
              summary.textContent = q.question;
              const answer = document.createElement("div");
              answer.className = "aftercare-contact__answer";
              // Sanitised on the server with an allow-list (app/domain/contact/sanitize.ts).
              answer.innerHTML = q.answerHtml;
              details.append(summary, answer);
              details.dataset.search = `${q.question} ${answer.textContent}`.toLowerCase();
              section.append(details);
            }
            return section;
          }),
        );
      }
      if (c.form) {
        find(this, "[data-form-section]").hidden = false;
        /** @type {HTMLSelectElement} */
        const select = find(this, "[data-topics]");
        for (const option of [...select.options]) if (!c.form.topics.includes(option.value)) option.remove();
      }
    }

    filterFaq() {
      const q = (this.search?.value || "").trim().toLowerCase();
      let shown = 0;
      for (const group of this.querySelectorAll(".aftercare-contact__faq-group")) {
        let inGroup = 0;
        for (const item of group.querySelectorAll("details")) {
          const match = !q || (item.dataset.search || "").includes(q);
          item.hidden = !match;
          if (match) inGroup++;
          if (q && match) item.open = true;
        }
        /** @type {HTMLElement} */ (group).hidden = inGroup === 0;
        shown += inGroup;
      }
      find(this, "[data-faq-status]").textContent =
        (q
          ? shown
            ? fill(this.faqResultsText(shown), { count: new Intl.NumberFormat(this.locale).format(shown) })
            : this.dataset.textFaqNone
          : "") || "";
    }

    /**
     * "1 matching question" / "2 matching questions": the locale's plural category, "other" for
     * any it has no string for.
     * @param {number} count
     */
    faqResultsText(count) {
      let category = "other";
      try {
        category = new Intl.PluralRules(this.locale).select(count);
      } catch {
        // An unknown locale tag: the general form.
      }
      return (category === "one" && this.dataset.textFaqResultsOne) || this.dataset.textFaqResultsOther || "";
    }

    /**
     * Shows each field's problem beside it (the field's aria-describedby) and marks it invalid;
     * clears the rest. Focuses the first field with a problem; false when none has one.
     * @param {HTMLFormElement} form @param {Record<string, string>} problems by field name
     */
    markFields(form, problems) {
      /** @type {HTMLElement | null} */
      let first = null;
      for (const note of form.querySelectorAll("[data-field-error]")) {
        const name = /** @type {HTMLElement} */ (note).dataset.fieldError || "";
        /** @type {HTMLElement} */
        const field = find(form, `[name="${name}"]`);
        note.textContent = problems[name] || "";
        if (problems[name]) {
          field.setAttribute("aria-invalid", "true");
          first = first || field;
        } else field.removeAttribute("aria-invalid");
      }
      first?.focus();
      return Boolean(first);
    }

    /** @param {SubmitEvent} event */
    async submit(event) {
      event.preventDefault();
      const form = /** @type {HTMLFormElement} */ (this.form);
      const error = find(this, "[data-error]");
      error.textContent = "";
      /** @type {Record<string, string>} */
      const invalid = {};
      for (const field of form.elements) {
        const input = /** @type {HTMLInputElement} */ (field);
        if (!input.validity) continue;
        input.setCustomValidity("");
        const short = input.minLength > 0 && input.value.length > 0 && input.value.trim().length < input.minLength;
        // The block's words, never the browser's validationMessage (the browser's language, not the page's).
        const text = this.dataset;
        const problem = input.validity.valueMissing
          ? text.textRequired
          : input.validity.typeMismatch
            ? text.textInvalidEmail
            : short
              ? fill(text.textTooShort || "", { min: new Intl.NumberFormat(this.locale).format(input.minLength) })
              : input.validity.valid
                ? ""
                : text.textError;
        if (problem) {
          input.setCustomValidity(problem);
          invalid[input.name] = problem;
        }
      }
      if (this.markFields(form, invalid)) return;
      /** @type {HTMLButtonElement} */
      const button = find(form, "button[type=submit]");
      button.disabled = true;
      this.say(this.dataset.textSending || "");
      try {
        /** @type {ProxyReply<ContactSent> | null} */
        const answer = await this.call("send", Object.fromEntries(new FormData(form)));
        if (!answer) return;
        if (!answer.ok) {
          const { fields, message } = answer.body;
          // The server names the order field orderName; the form calls it order.
          const problems = Object.fromEntries(
            Object.entries(fields || {}).map(([k, v]) => [k === "orderName" ? "order" : k, v]),
          );
          if (this.markFields(form, problems)) return;
          // A 429's English explains a limit the block words itself; a 5xx is not the app's JSON.
          const own = answer.status === 429 ? this.dataset.textRateLimited : answer.status < 500 && message;
          error.textContent = own || this.dataset.textError || "";
          return;
        }
        form.hidden = true;
        const sent = find(this, "[data-sent]");
        const ref = find(sent, "[data-sent-reference]");
        // The reference kept whole and left to right in any language's sentence ("REQ-1042").
        const [before, after = ""] = (ref.dataset.template || "").split("__reference__");
        const reference = Object.assign(document.createElement("bdi"), {
          dir: "ltr",
          textContent: answer.body.reference,
        });
        ref.replaceChildren(before, reference, after);
        const expect = answer.body.expectedReplyBy;
        find(sent, "[data-sent-expect]").textContent = expect
          ? fill(this.dataset.textExpectBy || "", { when: this.when(expect) })
          : "";
        sent.hidden = false;
        sent.focus();
      } catch {
        error.textContent = this.dataset.textError || "";
      } finally {
        button.disabled = false;
        this.say("");
      }
    }
  }

  customElements.define("aftercare-contact", AftercareContact);
})();
