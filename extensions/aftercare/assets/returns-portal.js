// @ts-check
// <aftercare-returns-portal>: with the merchant's lookup on, finds an order through the app proxy
// and shows the return's status after; without it (the default) Liquid shows the way to sign in,
// and the script only opens a return's status link from an email.
// The return form itself (items, reasons, exchanges, the amount, submitting) is a second script,
// returns-request.js, whose URL Liquid gives in data-request-script: fetched only when a shopper
// opens an order, while the order is looked up, so the first paint carries only this one.
// No framework; every word comes from the block's Liquid (data-strings) or the API.
(() => {
  if (customElements.get("aftercare-returns-portal")) return;

  /** @param {string | null} r */
  const isExchange = (r) => r === "exchange_variant" || r === "exchange_any";
  /** @template {Element} [T=HTMLElement] @param {ParentNode} root @param {string} selector @returns {T} */
  const one = (root, selector) => /** @type {T} */ (root.querySelector(selector));
  /** @param {string} text @param {Record<string, unknown>} values */
  const fill = (text, values) => text.replace(/%(\w+)%/g, (_, k) => (k in values ? String(values[k]) : ""));
  // Order and return numbers stay whole and left-to-right in a Persian sentence ("#1302", "R1-1302").
  /** @param {string} text */
  const bdi = (text) => Object.assign(document.createElement("bdi"), { dir: "ltr", textContent: text });
  /**
   * A sentence whose %name% / %number% placeholders are isolated numbers.
   * @param {string} text @param {Record<string, string>} values
   */
  const sentence = (text, values) => {
    const out = document.createDocumentFragment();
    text.split(/%(\w+)%/).forEach((part, i) => out.append(i % 2 ? bdi(values[part] ?? "") : part));
    return out;
  };

  /** @type {Promise<unknown> | null} */
  let requestFlow = null;
  /**
   * The request flow's script, added to the page once; settles when its element is defined (or the
   * script failed to load, and a later order tries again).
   * @param {string} src
   */
  const loadRequestFlow = (src) =>
    (requestFlow ||= new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), { src, async: true });
      script.onerror = () => {
        requestFlow = null;
        script.remove();
        reject(new Error(`${src} did not load`));
      };
      customElements.whenDefined("aftercare-returns-request").then(resolve).catch(reject);
      document.head.append(script);
    }));

  class AftercareReturnsPortal extends HTMLElement {
    requests = new Map();
    /** @type {ReturnsStrings} */ s;
    /** @type {ReturnsFindForm | null} */ find;
    /** @type {HTMLElement} */ status;
    /** @type {HTMLElement} */ result;
    /** @type {AbortController} */ listening;

    connectedCallback() {
      this.s = JSON.parse(one(this, "[data-strings]").textContent || "{}");
      // No form when the shop takes returns from signed-in shoppers only.
      this.find = this.querySelector("form[data-find]");
      this.status = one(this, "[data-status]");
      this.result = one(this, "[data-result]");
      const options = { signal: (this.listening = new AbortController()).signal };
      // The return form's own events are its element's (returns-request.js).
      this.addEventListener(
        "submit",
        (event) => {
          event.preventDefault();
          if (event.target === this.find) this.findOrder();
        },
        options,
      );
      this.addEventListener(
        "click",
        (event) => {
          const target = /** @type {HTMLElement} */ (event.target);
          // A signed-in shopper's own order, listed by Liquid: opened by its name alone.
          /** @type {HTMLElement | null} */
          const open = target.closest("[data-order]");
          if (open) this.lookup({ order: open.dataset.order || "" });
          if (target.closest('[data-action="again"]')) this.reset();
        },
        options,
      );
      const status = new URLSearchParams(location.search).get("return");
      if (status) this.lookup({ return: status });
      // Liquid wrote the list's days as YYYY-MM-DD: the same day in the shopper's words, in place.
      for (const day of /** @type {NodeListOf<HTMLTimeElement>} */ (this.querySelectorAll("time[data-day]")))
        day.textContent = this.date(day.dateTime).textContent;
    }

    disconnectedCallback() {
      this.listening.abort();
      const pending = [...this.requests.values()];
      this.requests.clear();
      for (const controller of pending) controller.abort();
    }

    /**
     * One request for a purpose, given up after 15 s; null once a newer one of that purpose (or
     * leaving the page) replaced it: that one owns the page.
     * @param {string} purpose @param {Params} params @param {object | null} [body] @returns {Promise<Reply | null>}
     */
    async call(purpose, params, body) {
      this.requests.get(purpose)?.abort();
      const controller = new AbortController();
      this.requests.set(purpose, controller);
      const current = () => this.requests.get(purpose) === controller;
      const timer = setTimeout(() => controller.abort(), 15e3);
      const query = new URLSearchParams({ ...params, locale: this.dataset.locale || "en" });
      try {
        const response = await fetch(`${this.dataset.endpoint}?${query}`, {
          method: body ? "POST" : "GET",
          headers: { Accept: "application/json", ...(body && { "Content-Type": "application/json" }) },
          body: body && JSON.stringify(body),
          signal: controller.signal,
        });
        const json = await response.json().catch(() => ({}));
        return current() ? /** @type {Reply} */ ({ ok: response.ok, status: response.status, body: json }) : null;
      } catch (error) {
        if (!current()) return null;
        throw error;
      } finally {
        clearTimeout(timer);
        if (current()) this.requests.delete(purpose);
      }
    }

    /** @param {string} text @param {boolean} [isError] */
    say(text, isError) {
      this.status.textContent = text || "";
      this.status.classList.toggle("aftercare-returns__status--error", Boolean(isError));
    }

    /**
     * The refusal in the shopper's words; an answer that is no refusal (a 5xx page) means try again.
     * @param {Reply} answer @param {string} fallback
     */
    error(answer, fallback) {
      return this.s.errors[answer.body.error || ""] || this.s.errors[answer.status < 500 ? fallback : "network"];
    }

    findOrder() {
      if (!this.find) return;
      const fields = this.find.elements;
      const order = fields.order.value.trim();
      const email = fields.email.value.trim();
      const missing = [fields.order, fields.email].find((input) => !input.value.trim());
      for (const input of [fields.order, fields.email]) input.removeAttribute("aria-invalid");
      // The block's own words, never the browser's (which speak the browser's language).
      const wrong = missing || (fields.email.validity.typeMismatch && fields.email);
      if (wrong) {
        const message = missing ? this.s.errors.invalid_request : this.s.errors.invalid_email;
        wrong.setCustomValidity(message);
        wrong.setAttribute("aria-invalid", "true");
        wrong.focus();
        return this.say(message, true);
      }
      for (const input of [fields.order, fields.email]) input.setCustomValidity("");
      this.lookup({ order, email });
    }

    /**
     * Runs one request with the block marked busy; its answer is handled unless a newer one replaced it.
     * `ready`: what else the answer waits for (the request flow's script), loaded meanwhile.
     * @param {string} message @param {string} purpose @param {Params} params @param {object | null} body
     * @param {Promise<unknown> | null} ready @param {(answer: Reply) => void} done
     */
    async busy(message, purpose, params, body, ready, done) {
      this.setAttribute("aria-busy", "true");
      this.result.classList.add("aftercare-returns__result--loading");
      this.say(message);
      /** @type {Reply | null} */
      let answer;
      try {
        answer = await this.call(purpose, params, body);
        if (answer?.ok) await ready;
      } catch {
        // Offline, or given up after 15 s.
        answer = { ok: false, status: 0, body: { error: "network" } };
      }
      if (!answer) return;
      this.removeAttribute("aria-busy");
      this.result.classList.remove("aftercare-returns__result--loading");
      done(answer);
    }

    /** @param {Params} params */
    lookup(params) {
      // A search for the order on screen means nothing once another order is asked for.
      this.requests.get("search")?.abort();
      this.requests.delete("search");
      // Opening an order needs the return form's script: fetched while the order is looked up.
      const ready = params.order ? loadRequestFlow(this.dataset.requestScript || "") : null;
      return this.busy(this.s.loading, "lookup", params, null, ready, (answer) => {
        if (!answer.ok) {
          // The form is where the shopper acts on it.
          this.reset();
          return this.say(this.error(answer, answer.status === 404 ? "not_found" : "generic"), true);
        }
        this.say("");
        if (answer.body.return) this.showReturn(answer.body.return, null, false);
        else this.showOrder(answer.body);
        if (this.find) this.find.hidden = true;
        this.result.focus();
      });
    }

    reset() {
      this.result.replaceChildren();
      this.say("");
      if (this.find) {
        this.find.hidden = false;
        this.find.elements.order.focus();
      } else /** @type {HTMLElement | null} */ (this.querySelector("[data-sign-in], [data-mine] a"))?.focus();
    }

    /** @param {string} name */
    clone(name) {
      /** @type {HTMLTemplateElement} */
      const template = one(this, `template[data-template="${name}"]`);
      return /** @type {HTMLElement} */ (template.content.firstElementChild?.cloneNode(true));
    }

    /**
     * A slot of a cloned template, filled with text when given. Text that is already there is left
     * alone, so a live region (the total) speaks only when what it says changes.
     * @template {HTMLElement} [T=HTMLElement]
     * @param {ParentNode} root @param {string} name @param {string} [text] @returns {T}
     */
    piece(root, name, text) {
      /** @type {T} */
      const el = one(root, `[data-slot="${name}"]`);
      if (text !== undefined && el.textContent !== text) el.textContent = text;
      return el;
    }

    /** @param {string} text @param {Record<string, string>} values */
    sentence(text, values) {
      return sentence(text, values);
    }

    /** @param {number} n */
    num(n) {
      return new Intl.NumberFormat(this.dataset.locale || undefined).format(n);
    }

    /** An instant, or a calendar day (YYYY-MM-DD) shown as that day wherever the shopper is. @param {string} iso */
    date(iso) {
      const el = document.createElement("time");
      el.dateTime = iso;
      const day = /^\d{4}-\d{2}-\d{2}$/.test(iso);
      el.textContent = new Intl.DateTimeFormat(this.dataset.locale || undefined, {
        dateStyle: "medium",
        timeZone: day ? "UTC" : undefined,
      }).format(new Date(day ? `${iso}T12:00:00Z` : iso));
      return el;
    }

    /** @param {number} minor @param {string} currency */
    money(minor, currency) {
      const format = new Intl.NumberFormat(this.dataset.locale || undefined, { style: "currency", currency });
      return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
    }

    /**
     * The order's return form: the request flow's element (returns-request.js), loaded by now.
     * @param {ReturnsOrderView} view
     */
    showOrder(view) {
      const flow = /** @type {ReturnsRequestElement} */ (document.createElement("aftercare-returns-request"));
      this.result.replaceChildren(flow);
      flow.show(this, view);
    }

    /**
     * A dearer exchange's difference: awaiting the shopper's payment of Shopify's figure, with
     * Shopify's page to pay it, or paid.
     * @param {HTMLElement} el @param {ReturnStatusView} r
     */
    payment(el, r) {
      const pay = r.payment;
      if (!pay || pay.state === "due") return;
      const text = pay.state === "paid" ? this.s.payment_paid : this.s.payment_awaiting;
      el.append(` · ${fill(text, { amount: this.money(pay.amountMinor, r.currency) })}`);
      if (pay.payUrl && /^https?:/.test(pay.payUrl)) {
        const link = Object.assign(document.createElement("a"), { href: pay.payUrl, textContent: this.s.pay_now });
        el.append(" ", link);
      }
    }

    /** @param {ReturnStatusView} r @param {string | null} statusToken @param {boolean} justCreated */
    showReturn(r, statusToken, justCreated) {
      const card = this.clone("return");
      this.piece(card, "title").append(
        sentence(justCreated ? this.s.done_heading : this.s.status_heading, { number: r.number }),
      );
      this.piece(card, "state", this.s.statuses[r.status] || r.status);
      this.piece(card, "order").append(sentence(this.s.order_heading, { name: r.orderName }));
      this.piece(card, "next", this.s.next[r.status] || "");
      const items = this.piece(card, "items");
      for (const item of r.items) {
        const li = document.createElement("li");
        const exchangeText = this.s.exchange_states[item.exchangeState || ""] || this.s.exchange_item;
        const exchanged = item.exchangeTitle ? ` · ${fill(exchangeText, { title: item.exchangeTitle })}` : "";
        const variant = item.variantTitle ? ` – ${item.variantTitle}` : "";
        li.textContent = `${item.title}${variant} × ${this.num(item.quantity)}${exchanged}`;
        items.append(li);
      }
      const label =
        r.resolution === "store_credit"
          ? this.s.total_credit
          : isExchange(r.resolution)
            ? this.s.total_exchange
            : this.s.total_refund;
      const amount = `${label}: ${this.money(r.amounts.storeCredit ?? r.amounts.total, r.currency)}`;
      this.piece(
        card,
        "amount",
        r.amounts.exchange ? `${this.s.new_items}: ${this.money(r.amounts.exchange, r.currency)} · ${amount}` : amount,
      );
      this.payment(this.piece(card, "amount"), r);
      if (r.instructions) {
        this.piece(card, "instructions-box").hidden = false;
        this.piece(card, "instructions", r.instructions);
        if (r.returnAddress) {
          this.piece(card, "address-title").hidden = false;
          Object.assign(this.piece(card, "address", r.returnAddress), { hidden: false });
        }
      }
      if (r.declineNote) {
        this.piece(card, "decline-box").hidden = false;
        this.piece(card, "decline", r.declineNote);
      }
      if (statusToken) {
        const url = new URL(location.href);
        url.searchParams.delete("token");
        url.searchParams.set("return", statusToken);
        Object.assign(this.piece(card, "link"), { href: url.toString(), hidden: false });
      }
      this.result.replaceChildren(card);
    }
  }

  customElements.define("aftercare-returns-portal", AftercareReturnsPortal);
})();
