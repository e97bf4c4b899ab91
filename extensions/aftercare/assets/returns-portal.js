// @ts-check
// <aftercare-returns-portal>: with the merchant's lookup on, finds an order through the app proxy,
// lets the shopper choose items, a reason and a resolution (an exchange for any product searches
// the shop's products), shows the amount before submitting, and the return's status after.
// Without it (the default) Liquid shows the way to sign in, and the script only opens a return's
// status link from an email.
// No framework; every word comes from the block's Liquid (data-strings) or the API.
(() => {
  if (customElements.get("aftercare-returns-portal")) return;

  /** @param {string} text @param {Record<string, unknown>} values */
  const fill = (text, values) => text.replace(/%(\w+)%/g, (_, k) => (k in values ? String(values[k]) : ""));
  /** @param {string | null} r */
  const isExchange = (r) => r === "exchange_variant" || r === "exchange_any";
  // Same arithmetic as the server's quote (app/domain/returns/policy.ts): minor units, half up.
  /** @param {number} amount @param {number} percent */
  const percentOf = (amount, percent) => Math.floor((amount * Math.round(percent * 100) + 5000) / 10000);
  const newKey = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  /** @template {Element} [T=HTMLElement] @param {ParentNode} root @param {string} selector @returns {T} */
  const one = (root, selector) => /** @type {T} */ (root.querySelector(selector));
  /** @param {ParentNode} row @param {string} name @returns {FormControl} */
  const field = (row, name) => one(row, `[data-field="${name}"]`);
  /** @param {Event} event */
  const on = (event) => /** @type {HTMLElement} */ (event.target);
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

  class AftercareReturnsPortal extends HTMLElement {
    requests = new Map();
    /** @type {ReturnsStrings} */ s;
    /** @type {ReturnsFindForm | null} */ find;
    /** @type {HTMLElement} */ status;
    /** @type {HTMLElement} */ result;
    /** @type {ReturnsOrderView | null} */ view;
    /** @type {string} */ key;
    /** @type {AbortController} */ listening;

    connectedCallback() {
      this.s = JSON.parse(one(this, "[data-strings]").textContent || "{}");
      // No form when the shop takes returns from signed-in shoppers only.
      this.find = this.querySelector("form[data-find]");
      this.status = one(this, "[data-status]");
      this.result = one(this, "[data-result]");
      const options = { signal: (this.listening = new AbortController()).signal };
      this.addEventListener(
        "submit",
        (event) => {
          event.preventDefault();
          const active = document.activeElement;
          /** @type {HTMLElement | null | undefined} */
          const searching = active?.closest("[data-line]");
          if (event.target === this.find) this.findOrder();
          // Enter in a search field searches rather than sending the return.
          else if (searching && active?.matches('[data-field="search"]')) this.search(searching);
          else if (on(event).matches("[data-request]")) this.submitReturn();
        },
        options,
      );
      this.addEventListener(
        "click",
        (event) => {
          const target = on(event);
          // A signed-in shopper's own order, listed by Liquid: opened by its name alone.
          /** @type {HTMLElement | null} */
          const open = target.closest("[data-order]");
          if (open) this.lookup({ order: open.dataset.order || "" });
          if (target.closest('[data-action="again"]')) this.reset();
          /** @type {HTMLElement | null} */
          const line = target.closest("[data-line]");
          if (line && target.closest('[data-action="search"]')) this.search(line);
        },
        options,
      );
      /** @param {Event} event */
      const changed = (event) => {
        if (!on(event).closest("[data-request]")) return;
        // A problem the shopper is fixing stops being announced once they change something.
        if (this.status.classList.contains("aftercare-returns__status--error")) this.say("");
        on(event).removeAttribute("aria-invalid");
        this.refresh();
      };
      this.addEventListener("change", changed, options);
      this.addEventListener("input", changed, options);
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
     * @param {string} message @param {string} purpose @param {Params} params @param {object | null} body
     * @param {(answer: Reply) => void} done
     */
    async busy(message, purpose, params, body, done) {
      this.setAttribute("aria-busy", "true");
      this.result.classList.add("aftercare-returns__result--loading");
      this.say(message);
      /** @type {Reply | null} */
      let answer;
      try {
        answer = await this.call(purpose, params, body);
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
      return this.busy(this.s.loading, "lookup", params, null, (answer) => {
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
      this.view = null;
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

    /** @param {ReturnsOrderView} view */
    showOrder(view) {
      this.view = view;
      this.key = newKey();
      const root = this.clone("order");
      this.piece(root, "name").append(sentence(this.s.order_heading, { name: view.order.name }));
      const lines = this.piece(root, "lines");
      for (const line of view.lines) lines.append(this.lineRow(line));
      const choices = this.piece(root, "resolutions");
      view.resolutions.forEach((r, i) => {
        const choice = this.clone("resolution");
        const input = field(choice, "resolution");
        input.value = r.id;
        input.checked = i === 0;
        this.piece(choice, "label", this.s.resolutions[r.id]);
        this.piece(
          choice,
          "bonus-note",
          r.bonusPercent > 0
            ? fill(this.s.resolutions.bonus, {
                percent: new Intl.NumberFormat(this.dataset.locale || undefined, { style: "percent" }).format(
                  r.bonusPercent / 100,
                ),
              })
            : "",
        );
        choices.append(choice);
      });
      // Nothing to return (not shipped or still on its way, returned, past the window…): each line
      // says why, and no resolution, amount or button pretends otherwise.
      if (!view.lines.some((line) => !line.reason)) {
        for (const part of ["resolution-box", "summary", "submit"]) this.piece(root, part).hidden = true;
        this.piece(root, "nothing").hidden = false;
      }
      if (!view.enabled) {
        this.say(this.s.errors.returns_off, true);
        /** @type {HTMLButtonElement} */ (this.piece(root, "submit")).disabled = true;
      }
      if (this.dataset.showPrevious !== "false" && view.returns.length) {
        this.piece(root, "previous-box").hidden = false;
        const list = this.piece(root, "previous");
        for (const r of view.returns) {
          const li = document.createElement("li");
          const status = this.s.statuses[r.status] || r.status;
          li.append(sentence(this.s.status_heading, { number: r.number }), `: ${status}`);
          list.append(li);
        }
      }
      this.result.replaceChildren(root);
      this.refresh();
    }

    /** @param {ReturnLine} line */
    lineRow(line) {
      const row = this.clone("line");
      row.dataset.line = line.id;
      const pick = field(row, "pick");
      this.piece(row, "title", line.title);
      pick.setAttribute("aria-label", fill(this.s.select_item, { title: line.title }));
      this.piece(row, "variant", line.variantTitle || "");
      if (line.imageUrl && /^https:\/\//i.test(line.imageUrl))
        Object.assign(this.piece(row, "image"), { src: line.imageUrl, hidden: false });
      const availability = this.piece(row, "availability");
      if (line.reason) {
        pick.disabled = true;
        availability.textContent = fill(this.s.why[line.reason] || this.s.why.not_returnable, {
          date: this.date(line.windowEndsAt).textContent,
        });
        row.classList.add("aftercare-returns__line--off");
        return row;
      }
      const until = fill(this.s.window_until, { date: this.date(line.windowEndsAt).textContent });
      availability.textContent = `${fill(this.s.returnable_count, { count: this.num(line.returnable) })} · ${until}`;
      const quantity = field(row, "quantity");
      for (let n = 1; n <= line.returnable; n++) quantity.append(new Option(this.num(n), String(n)));
      const reason = field(row, "reason");
      for (const r of this.view?.reasons || []) reason.append(new Option(r.label, r.id));
      const exchange = field(row, "exchange");
      exchange.append(new Option("—", ""));
      for (const v of line.exchangeVariants)
        exchange.append(Object.assign(new Option(v.title, v.id), { price: v.priceMinor }));
      return row;
    }

    /**
     * The shop's products for an exchange for any product: one radio per variant for sale.
     * @param {HTMLElement} row
     */
    async search(row) {
      const results = this.piece(row, "results");
      this.say(this.s.searching);
      try {
        const search = field(row, "search").value.trim();
        /** @type {ProxyReply<ExchangeSearch> | null} */
        const answer = await this.call("search", { search, token: this.view?.token || "" });
        if (!answer) return;
        if (!answer.ok) return this.say(this.error(answer, "generic"), true);
        const body = answer.body;
        this.say("");
        results.replaceChildren();
        if (!body.products.length)
          results.append(Object.assign(document.createElement("li"), { textContent: this.s.no_results }));
        for (const p of body.products) {
          const li = document.createElement("li");
          if (p.imageUrl)
            li.append(
              Object.assign(document.createElement("img"), {
                src: p.imageUrl,
                alt: "",
                width: 48,
                height: 48,
                loading: "lazy",
              }),
            );
          const choices = document.createElement("div");
          choices.append(Object.assign(document.createElement("strong"), { textContent: p.title }));
          for (const v of p.variants) {
            const input = Object.assign(document.createElement("input"), {
              type: "radio",
              name: `any-${row.dataset.line}`,
              value: v.id,
              price: v.priceMinor,
            });
            input.dataset.field = "any";
            const label = Object.assign(document.createElement("label"), { className: "aftercare-returns__choice" });
            label.append(input, ` ${v.title} · ${this.money(v.priceMinor, body.currency)}`);
            choices.append(label);
          }
          li.append(choices);
          results.append(li);
        }
      } catch {
        this.say(this.s.errors.network, true);
      }
    }

    resolution() {
      /** @type {HTMLInputElement | null} */
      const checked = this.result.querySelector('[data-field="resolution"]:checked');
      return checked ? checked.value : null;
    }

    /** @param {HTMLElement} row @returns {ReturnLine} */
    lineOf(row) {
      return /** @type {ReturnLine} */ (this.view?.lines.find((l) => l.id === row.dataset.line));
    }

    /** Which lines are chosen, and what they are worth as the server will quote them. @returns {ChosenLine[]} */
    chosen() {
      /** @type {NodeListOf<HTMLElement>} */
      const rows = this.result.querySelectorAll("[data-line]");
      return [...rows]
        .filter((row) => field(row, "pick").checked)
        .map((row) => {
          const line = this.lineOf(row);
          const quantity = Number(field(row, "quantity").value);
          // The new item: a variant of the same product, or any product found by searching.
          const any = this.resolution() === "exchange_any";
          const pick = /** @type {ExchangeChoice | null} */ (
            any ? one(row, '[data-field="any"]:checked') : field(row, "exchange").selectedOptions[0]
          );
          return {
            row,
            line,
            quantity,
            exchangeId: (pick && pick.value) || null,
            newMinor: pick && pick.value ? pick.price * quantity : 0,
            valueMinor: Math.floor((line.paidMinor * Math.min(quantity, line.quantity)) / Math.max(1, line.quantity)),
          };
        });
    }

    /** Shows what the return is worth as chosen; how much a new item costs over it, else 0. */
    refresh() {
      /** @type {HTMLElement | null} */
      const root = this.result.querySelector("[data-request]");
      if (!root || !this.view) return 0;
      const resolution = this.resolution();
      const exchange = isExchange(resolution);
      for (const row of root.querySelectorAll("[data-line]")) {
        const picked = field(row, "pick").checked;
        const line = this.lineOf(/** @type {HTMLElement} */ (row));
        this.piece(row, "details").hidden = !picked;
        const variant = resolution === "exchange_variant";
        this.piece(row, "exchange-box").hidden = !variant || !line.exchangeVariants.length;
        this.piece(row, "no-exchange").hidden = !variant || line.exchangeVariants.length > 0;
        this.piece(row, "any-box").hidden = resolution !== "exchange_any";
        const reason = this.view.reasons.find((r) => r.id === field(row, "reason").value);
        field(row, "note").required = Boolean(reason && reason.requireNote);
      }
      const chosen = this.chosen();
      const option = this.view.resolutions.find((r) => r.id === resolution) || { bonusPercent: 0 };
      const fees = this.view.fees;
      const items = chosen.reduce((n, c) => n + c.valueMinor, 0);
      const waived = exchange && fees.waiveForExchanges;
      const restocking = waived ? 0 : Math.min(items, percentOf(items, fees.restockingPercent));
      const shipping = waived || !items ? 0 : Math.min(items - restocking, fees.returnShippingMinor);
      const bonus = percentOf(items, option.bonusPercent);
      const currency = this.view.order.currency;
      /** @param {number} minor */
      const signed = (minor) => `${minor < 0 ? "−" : "+"}${this.money(Math.abs(minor), currency)}`;
      /** @param {string} name @param {number} minor @param {string} sign */
      const show = (name, minor, sign) => {
        this.piece(root, `${name}-row`).hidden = minor === 0;
        this.piece(root, name, `${sign}${this.money(minor, currency)}`);
      };
      // An exchange: the new items come off what the returned ones are worth; the rest is store credit.
      const newItems = exchange ? chosen.reduce((n, c) => n + c.newMinor, 0) : 0;
      for (const c of chosen) {
        const note = this.piece(
          c.row,
          "difference",
          c.exchangeId ? fill(this.s.price_difference, { amount: signed(c.newMinor - c.valueMinor) }) : "",
        );
        note.hidden = !exchange || !c.exchangeId;
      }
      const over = newItems - (items - restocking - shipping);
      if (over > 0) this.say(fill(this.s.costs_more, { amount: this.money(over, currency) }), true);
      this.piece(root, "items", this.money(items, currency));
      show("restocking", restocking, "−");
      show("shipping", shipping, "−");
      show("new-items", newItems, "−");
      show("bonus", bonus, "+");
      this.piece(
        root,
        "total-label",
        resolution === "store_credit" ? this.s.total_credit : exchange ? this.s.total_exchange : this.s.total_refund,
      );
      this.piece(
        root,
        "total",
        over > 0 ? "–" : this.money(items - restocking - shipping - newItems + bonus, currency),
      );
      return over;
    }

    /**
     * Checks what the server would refuse: the problem, and the first field to fix.
     * @param {ChosenLine[]} chosen @param {string | null} resolution @param {ReturnsOrderView} view
     * @returns {[string, Element | null] | null}
     */
    problem(chosen, resolution, view) {
      if (!chosen.length)
        return [this.s.errors.no_items, this.result.querySelector('[data-field="pick"]:not(:disabled)')];
      for (const c of chosen) {
        const reason = view.reasons.find((r) => r.id === field(c.row, "reason").value);
        if (!reason) return [this.s.choose_reason, field(c.row, "reason")];
        const note = field(c.row, "note");
        if (reason.requireNote && !note.value.trim()) return [this.s.errors.note_required, note];
        if (isExchange(resolution) && !c.exchangeId) {
          const fix = resolution === "exchange_any" ? "search" : c.line.exchangeVariants.length ? "exchange" : "pick";
          return [this.s.errors.exchange_required, field(c.row, fix)];
        }
      }
      const over = this.refresh();
      const fix = resolution === "exchange_any" ? "search" : "exchange";
      if (over > 0)
        return [fill(this.s.costs_more, { amount: this.money(over, view.order.currency) }), field(chosen[0].row, fix)];
      return null;
    }

    submitReturn() {
      const view = this.view;
      if (!view) return;
      const resolution = this.resolution();
      const chosen = this.chosen();
      for (const el of this.result.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
      const problem = this.problem(chosen, resolution, view);
      if (problem) {
        this.say(problem[0], true);
        if (problem[1]) {
          problem[1].setAttribute("aria-invalid", "true");
          /** @type {HTMLElement} */ (problem[1]).focus();
        }
        return;
      }
      /** @type {HTMLButtonElement} */
      const submit = this.piece(this.result, "submit");
      submit.disabled = true;
      const items = chosen.map((c) => ({
        lineItemId: c.line.id,
        quantity: c.quantity,
        reason: field(c.row, "reason").value,
        note: field(c.row, "note").value.trim() || null,
        exchangeVariantId: isExchange(resolution) ? c.exchangeId : null,
      }));
      const request = { token: view.token, key: this.key, resolution, locale: this.dataset.locale || "en", items };
      return this.busy(this.s.submitting, "submit", {}, request, (answer) => {
        submit.disabled = false;
        // Another order was opened meanwhile: this answer is not about what is on screen.
        if (this.view !== view) return;
        if (!answer.ok) return this.say(this.error(answer, "generic"), true);
        this.say("");
        this.showReturn(answer.body.return, answer.body.statusToken, true);
        this.result.focus();
      });
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
