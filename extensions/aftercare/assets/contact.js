/*
 * <aftercare-contact>: fills the Contact block from /apps/aftercare/contact and sends its form.
 * Liquid rendered every word; this script only adds data and behaviour. No framework.
 */
(() => {
  if (customElements.get("aftercare-contact")) return;

  const CHANNEL_ICONS = { email: "✉", phone: "☎", sms: "✆", whatsapp: "◎", messenger: "◉", instagram: "◈", chat: "✦" };

  function fill(template, values) {
    // Liquid's t filter filled each placeholder with a __name__ marker (blocks/contact.liquid).
    return template.replace(/__(\w+?)__/g, (_, k) => (k in values ? values[k] : ""));
  }

  class AftercareContact extends HTMLElement {
    connectedCallback() {
      this.controller = new AbortController();
      this.locale = this.dataset.locale || document.documentElement.lang || "en";
      this.form = this.querySelector("[data-form]");
      this.search = this.querySelector("[data-faq-search]");
      this.form?.addEventListener("submit", (e) => this.submit(e), { signal: this.controller.signal });
      this.search?.addEventListener("input", () => this.filterFaq(), { signal: this.controller.signal });
      this.load();
    }

    disconnectedCallback() {
      this.controller?.abort();
    }

    url(extra = "") {
      return `${this.dataset.endpoint}?locale=${encodeURIComponent(this.locale)}${extra}`;
    }

    async load() {
      try {
        const res = await fetch(this.url(), { headers: { accept: "application/json" }, signal: this.controller.signal });
        if (!res.ok) throw new Error(String(res.status));
        this.config = await res.json();
        this.render();
      } catch (error) {
        if (error.name === "AbortError") return;
        this.querySelector("[data-status]").textContent = this.dataset.textUnavailable;
      }
    }

    duration(minutes) {
      const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, "day"] : minutes % 60 === 0 ? [minutes / 60, "hour"] : [minutes, "minute"];
      return new Intl.NumberFormat(this.locale, { style: "unit", unit, unitDisplay: "long" }).format(value);
    }

    when(iso) {
      return new Intl.DateTimeFormat(this.locale, { weekday: "long", hour: "numeric", minute: "2-digit", timeZone: this.config.timeZone }).format(new Date(iso));
    }

    render() {
      const c = this.config;
      const channels = this.querySelector("[data-channels]");
      if (c.channels.length) {
        this.querySelector("[data-channels-section]").hidden = false;
        const availability = this.querySelector("[data-availability]");
        availability.textContent = c.open ? this.dataset.textOnline : c.nextOpenAt ? fill(this.dataset.textBackAt, { when: this.when(c.nextOpenAt) }) : this.dataset.textOffline;
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
            icon.textContent = CHANNEL_ICONS[ch.kind] || "•";
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
            meta.append(dot, " ", ch.online ? fill(this.dataset.textRepliesWithin, { duration: this.duration(ch.replyMinutes) }) : this.dataset.textOffline);
            li.append(a, meta);
            return li;
          }),
        );
      }
      const faq = this.querySelector("[data-faq]");
      if (faq && c.faq.length) {
        this.querySelector("[data-faq-section]").hidden = false;
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
        this.querySelector("[data-form-section]").hidden = false;
        const select = this.querySelector("[data-topics]");
        for (const option of [...select.options]) if (!c.form.topics.includes(option.value)) option.remove();
      }
    }

    filterFaq() {
      const q = this.search.value.trim().toLowerCase();
      let shown = 0;
      for (const group of this.querySelectorAll(".aftercare-contact__faq-group")) {
        let inGroup = 0;
        for (const item of group.querySelectorAll("details")) {
          const match = !q || item.dataset.search.includes(q);
          item.hidden = !match;
          if (match) inGroup++;
          if (q && match) item.open = true;
        }
        group.hidden = inGroup === 0;
        shown += inGroup;
      }
      this.querySelector("[data-faq-status]").textContent = q ? (shown ? fill(this.faqResultsText(shown), { count: String(shown) }) : this.dataset.textFaqNone) : "";
    }

    /** "1 matching question" / "2 matching questions": the locale's plural category, "other" for any it has no string for. */
    faqResultsText(count) {
      let category = "other";
      try {
        category = new Intl.PluralRules(this.locale).select(count);
      } catch {
        // An unknown locale tag: the general form.
      }
      return (category === "one" && this.dataset.textFaqResultsOne) || this.dataset.textFaqResultsOther;
    }

    async submit(event) {
      event.preventDefault();
      const error = this.querySelector("[data-error]");
      error.textContent = "";
      if (!this.form.checkValidity()) {
        const invalid = this.form.querySelector(":invalid");
        invalid?.focus();
        error.textContent = invalid?.validationMessage || this.dataset.textError;
        return;
      }
      const button = this.form.querySelector("button[type=submit]");
      button.disabled = true;
      this.querySelector("[data-status]").textContent = this.dataset.textSending;
      try {
        const body = Object.fromEntries(new FormData(this.form));
        const res = await fetch(this.url(), { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body), signal: this.controller.signal });
        const answer = await res.json().catch(() => ({}));
        if (!res.ok) {
          error.textContent = answer.message || this.dataset.textError;
          const field = answer.fields && Object.keys(answer.fields)[0];
          if (field) this.form.querySelector(`[name="${field === "orderName" ? "order" : field}"]`)?.focus();
          return;
        }
        this.form.hidden = true;
        const sent = this.querySelector("[data-sent]");
        const ref = sent.querySelector("[data-sent-reference]");
        ref.textContent = fill(ref.dataset.template, { reference: answer.reference });
        sent.querySelector("[data-sent-expect]").textContent = answer.expectedReplyBy ? fill(this.dataset.textExpectBy, { when: this.when(answer.expectedReplyBy) }) : "";
        sent.hidden = false;
        sent.focus();
      } catch (e) {
        if (e.name !== "AbortError") error.textContent = this.dataset.textError;
      } finally {
        button.disabled = false;
        this.querySelector("[data-status]").textContent = "";
      }
    }
  }

  customElements.define("aftercare-contact", AftercareContact);
})();
