// <aftercare-returns-portal>: finds an order through the app proxy, lets the shopper choose items,
// a reason and a resolution (an exchange for any product searches the shop's products), shows the
// amount before submitting, and the return's status after.
// No framework; every word comes from the block's Liquid (data-strings) or the API.
(() => {
  if (customElements.get("aftercare-returns-portal")) return;

  const fill = (text, values) => text.replace(/%(\w+)%/g, (_, k) => (k in values ? values[k] : ""));
  const isExchange = (r) => r === "exchange_variant" || r === "exchange_any";
  // Same arithmetic as the server's quote (app/domain/returns/policy.ts): minor units, half up.
  const percentOf = (amount, percent) => Math.floor((amount * Math.round(percent * 100) + 5000) / 10000);
  const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");

  class AftercareReturnsPortal extends HTMLElement {
    connectedCallback() {
      // In-flight requests by purpose: a newer one replaces its own kind only.
      this.requests = new Map();
      this.s = JSON.parse(this.querySelector("[data-strings]").textContent);
      this.find = this.querySelector("[data-find]");
      this.status = this.querySelector("[data-status]");
      this.result = this.querySelector("[data-result]");
      this.onSubmit = (event) => {
        event.preventDefault();
        const searching = document.activeElement && document.activeElement.closest("[data-line]");
        if (event.target === this.find) this.findOrder();
        // Enter in a search field searches rather than sending the return.
        else if (searching && document.activeElement.matches('[data-field="search"]')) this.search(searching);
        else if (event.target.matches("[data-request]")) this.submitReturn();
      };
      this.onClick = (event) => {
        const open = event.target.closest("[data-token]");
        if (open) this.lookup({ token: open.dataset.token });
        if (event.target.closest('[data-action="again"]')) this.reset();
        if (event.target.closest('[data-action="search"]')) this.search(event.target.closest("[data-line]"));
      };
      this.onChange = (event) => {
        if (!event.target.closest("[data-request]")) return;
        // A problem the shopper is fixing stops being announced once they change something.
        if (this.status.classList.contains("aftercare-returns__status--error")) this.say("");
        event.target.removeAttribute("aria-invalid");
        this.refresh();
      };
      this.addEventListener("submit", this.onSubmit);
      this.addEventListener("click", this.onClick);
      this.addEventListener("change", this.onChange);
      this.addEventListener("input", this.onChange);
      const params = new URLSearchParams(location.search);
      if (params.get("return")) this.lookup({ return: params.get("return") });
      if (this.dataset.loggedIn) this.listMine();
    }

    disconnectedCallback() {
      this.removeEventListener("submit", this.onSubmit);
      this.removeEventListener("click", this.onClick);
      this.removeEventListener("change", this.onChange);
      this.removeEventListener("input", this.onChange);
      const pending = [...this.requests.values()];
      this.requests.clear();
      for (const controller of pending) controller.abort();
    }

    /**
     * One request for a purpose; null once a newer one of that purpose (or leaving the page)
     * replaced it, as that one owns the page now.
     */
    async call(purpose, params, body) {
      this.requests.get(purpose)?.abort();
      const controller = new AbortController();
      this.requests.set(purpose, controller);
      const current = () => this.requests.get(purpose) === controller;
      try {
        const answer = await this.send(controller.signal, params, body);
        return current() ? answer : null;
      } catch (error) {
        if (!current()) return null;
        throw error;
      } finally {
        if (current()) this.requests.delete(purpose);
      }
    }

    async send(signal, params, body) {
      const query = new URLSearchParams({ ...params, locale: this.dataset.locale || "en" });
      const response = await fetch(`${this.dataset.endpoint}?${query}`, {
        method: body ? "POST" : "GET",
        headers: body ? { Accept: "application/json", "Content-Type": "application/json" } : { Accept: "application/json" },
        body: body ? JSON.stringify(body) : undefined,
        credentials: "same-origin",
        signal,
      });
      return { ok: response.ok, status: response.status, body: await response.json().catch(() => ({})) };
    }

    say(text, isError) {
      this.status.textContent = text || "";
      this.status.classList.toggle("aftercare-returns__status--error", Boolean(isError));
    }

    /** The refusal in the shopper's words; an answer that is no refusal (a 5xx page) means try again. */
    error(answer, fallback) {
      return this.s.errors[answer.body.error] || this.s.errors[answer.status < 500 ? fallback : "network"];
    }

    findOrder() {
      const order = this.find.elements.order.value.trim();
      const email = this.find.elements.email.value.trim();
      const missing = !order ? this.find.elements.order : !email ? this.find.elements.email : null;
      for (const input of [this.find.elements.order, this.find.elements.email]) input.removeAttribute("aria-invalid");
      if (missing) {
        missing.setAttribute("aria-invalid", "true");
        missing.focus();
        return this.say(this.s.errors.invalid_request, true);
      }
      this.lookup({ order, email });
    }

    /** Runs one request with the block marked busy; its answer is handled unless a newer one replaced it. */
    async busy(message, purpose, params, body, done) {
      this.setAttribute("aria-busy", "true");
      this.result.classList.add("aftercare-returns__result--loading");
      this.say(message);
      let answer;
      try {
        answer = await this.call(purpose, params, body);
      } catch (error) {
        answer = { ok: false, status: 0, body: {} };
      }
      if (!answer) return;
      this.removeAttribute("aria-busy");
      this.result.classList.remove("aftercare-returns__result--loading");
      done(answer);
    }

    lookup(params) {
      // A search for the order on screen means nothing once another order is asked for.
      this.requests.get("search")?.abort();
      this.requests.delete("search");
      return this.busy(this.s.loading, "lookup", params, null, (answer) => {
        const body = answer.body;
        if (!answer.ok) {
          this.say(this.error(answer, answer.status === 404 ? "not_found" : "generic"), true);
          // The form is where the shopper acts on it.
          this.result.replaceChildren();
          this.view = null;
          this.find.hidden = false;
          this.find.elements.order.focus();
          return;
        }
        this.say("");
        if (body.return) this.showReturn(body.return, null, false);
        else this.showOrder(body);
        this.find.hidden = true;
        this.result.focus();
      });
    }

    async listMine() {
      const list = this.querySelector("[data-mine]");
      const note = (text) => list.replaceChildren(Object.assign(document.createElement("li"), { textContent: text }));
      try {
        const answer = await this.call("list", {});
        if (!answer) return;
        list.replaceChildren();
        if (!answer.ok) return note(this.error(answer, "network"));
        const orders = (answer.body.customer && answer.body.customer.orders) || [];
        if (!orders.length) note(this.s.no_orders);
        for (const o of orders) {
          const button = Object.assign(document.createElement("button"), { type: "button", className: "aftercare-returns__link-button" });
          button.dataset.token = o.token;
          button.textContent = `${this.s.open_order} ${o.name}`;
          const li = document.createElement("li");
          li.append(button, " ", this.date(o.placedAt));
          list.append(li);
        }
      } catch (error) {
        note(this.s.errors.network);
      } finally {
        list.removeAttribute("aria-busy");
      }
    }

    reset() {
      this.result.replaceChildren();
      this.view = null;
      this.find.hidden = false;
      this.say("");
      this.find.elements.order.focus();
    }

    clone(name) {
      return this.querySelector(`template[data-template="${name}"]`).content.firstElementChild.cloneNode(true);
    }

    slot(root, name, text) {
      const el = root.querySelector(`[data-slot="${name}"]`);
      if (text !== undefined) el.textContent = text;
      return el;
    }

    date(iso) {
      const el = document.createElement("time");
      el.dateTime = iso;
      el.textContent = new Intl.DateTimeFormat(this.dataset.locale || undefined, { dateStyle: "medium" }).format(new Date(iso));
      return el;
    }

    money(minor, currency) {
      const format = new Intl.NumberFormat(this.dataset.locale || undefined, { style: "currency", currency });
      return format.format(minor / 10 ** format.resolvedOptions().maximumFractionDigits);
    }

    showOrder(view) {
      this.view = view;
      this.key = newKey();
      const root = this.clone("order");
      this.slot(root, "name", fill(this.s.order_heading, { name: view.order.name }));
      const lines = this.slot(root, "lines");
      for (const line of view.lines) lines.append(this.lineRow(line));
      const choices = this.slot(root, "resolutions");
      view.resolutions.forEach((r, i) => {
        const choice = this.clone("resolution");
        const input = choice.querySelector("input");
        input.value = r.id;
        input.checked = i === 0;
        this.slot(choice, "label", this.s.resolutions[r.id]);
        this.slot(choice, "bonus-note", r.bonusPercent > 0 ? fill(this.s.resolutions.bonus, { percent: r.bonusPercent }) : "");
        choices.append(choice);
      });
      if (!view.enabled) {
        this.say(this.s.errors.returns_off, true);
        this.slot(root, "submit").disabled = true;
      }
      if (this.dataset.showPrevious !== "false" && view.returns.length) {
        this.slot(root, "previous-box").hidden = false;
        const list = this.slot(root, "previous");
        for (const r of view.returns) {
          const li = document.createElement("li");
          li.textContent = `${fill(this.s.status_heading, { number: r.number })}: ${this.s.statuses[r.status] || r.status}`;
          list.append(li);
        }
      }
      this.result.replaceChildren(root);
      this.refresh();
    }

    lineRow(line) {
      const row = this.clone("line");
      row.dataset.line = line.id;
      const pick = row.querySelector('[data-field="pick"]');
      this.slot(row, "title", line.title);
      pick.setAttribute("aria-label", fill(this.s.select_item, { title: line.title }));
      this.slot(row, "variant", line.variantTitle || "");
      if (line.imageUrl && /^https:\/\//i.test(line.imageUrl)) Object.assign(this.slot(row, "image"), { src: line.imageUrl, hidden: false });
      const availability = this.slot(row, "availability");
      if (line.reason) {
        pick.disabled = true;
        availability.textContent = fill(this.s.why[line.reason] || this.s.why.not_returnable, { date: this.date(line.windowEndsAt).textContent });
        row.classList.add("aftercare-returns__line--off");
        return row;
      }
      availability.textContent = `${fill(this.s.returnable_count, { count: line.returnable })} · ${fill(this.s.window_until, { date: this.date(line.windowEndsAt).textContent })}`;
      const quantity = row.querySelector('[data-field="quantity"]');
      for (let n = 1; n <= line.returnable; n++) quantity.append(new Option(String(n), String(n)));
      const reason = row.querySelector('[data-field="reason"]');
      for (const r of this.view.reasons) reason.append(new Option(r.label, r.id));
      const exchange = row.querySelector('[data-field="exchange"]');
      exchange.append(new Option("—", ""));
      for (const v of line.exchangeVariants) exchange.append(Object.assign(new Option(v.title, v.id), { price: v.priceMinor }));
      return row;
    }

    /** The shop's products for an exchange for any product: one radio per variant for sale. */
    async search(row) {
      const results = this.slot(row, "results");
      this.say(this.s.searching);
      try {
        const search = row.querySelector('[data-field="search"]').value.trim();
        const answer = await this.call("search", { search, token: this.view.token });
        if (!answer) return;
        const body = answer.body;
        if (!answer.ok) return this.say(this.error(answer, "generic"), true);
        this.say("");
        results.replaceChildren();
        if (!body.products.length) results.append(Object.assign(document.createElement("li"), { textContent: this.s.no_results }));
        for (const p of body.products) {
          const li = document.createElement("li");
          if (p.imageUrl) li.append(Object.assign(document.createElement("img"), { src: p.imageUrl, alt: "", width: 48, height: 48, loading: "lazy" }));
          const choices = document.createElement("div");
          choices.append(Object.assign(document.createElement("strong"), { textContent: p.title }));
          for (const v of p.variants) {
            const input = Object.assign(document.createElement("input"), { type: "radio", name: `any-${row.dataset.line}`, value: v.id, price: v.priceMinor });
            input.dataset.field = "any";
            const label = Object.assign(document.createElement("label"), { className: "aftercare-returns__choice" });
            label.append(input, ` ${v.title} · ${this.money(v.priceMinor, body.currency)}`);
            choices.append(label);
          }
          li.append(choices);
          results.append(li);
        }
      } catch (error) {
        this.say(this.s.errors.network, true);
      }
    }

    resolution() {
      const checked = this.result.querySelector('[data-field="resolution"]:checked');
      return checked ? checked.value : null;
    }

    /** Which lines are chosen, and what they are worth as the server will quote them. */
    chosen() {
      return [...this.result.querySelectorAll("[data-line]")]
        .filter((row) => row.querySelector('[data-field="pick"]').checked)
        .map((row) => {
          const line = this.view.lines.find((l) => l.id === row.dataset.line);
          const field = (name) => row.querySelector(`[data-field="${name}"]`);
          const quantity = Number(field("quantity").value);
          // The new item: a variant of the same product, or any product found by searching.
          const pick = this.resolution() === "exchange_any" ? row.querySelector('[data-field="any"]:checked') : field("exchange").selectedOptions[0];
          return {
            row,
            line,
            field,
            quantity,
            exchangeId: (pick && pick.value) || null,
            newMinor: pick && pick.value ? pick.price * quantity : 0,
            valueMinor: Math.floor((line.paidMinor * Math.min(quantity, line.quantity)) / Math.max(1, line.quantity)),
          };
        });
    }

    refresh() {
      const root = this.result.querySelector("[data-request]");
      if (!root || !this.view) return;
      const resolution = this.resolution();
      const exchange = isExchange(resolution);
      for (const row of root.querySelectorAll("[data-line]")) {
        const picked = row.querySelector('[data-field="pick"]').checked;
        const line = this.view.lines.find((l) => l.id === row.dataset.line);
        this.slot(row, "details").hidden = !picked;
        const variant = resolution === "exchange_variant";
        this.slot(row, "exchange-box").hidden = !variant || !line.exchangeVariants.length;
        this.slot(row, "no-exchange").hidden = !variant || line.exchangeVariants.length > 0;
        this.slot(row, "any-box").hidden = resolution !== "exchange_any";
        const reason = this.view.reasons.find((r) => r.id === row.querySelector('[data-field="reason"]').value);
        row.querySelector('[data-field="note"]').required = Boolean(reason && reason.requireNote);
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
      const signed = (minor) => `${minor < 0 ? "−" : "+"}${this.money(Math.abs(minor), currency)}`;
      const show = (name, minor, sign) => {
        this.slot(root, `${name}-row`).hidden = minor === 0;
        this.slot(root, name, `${sign}${this.money(minor, currency)}`);
      };
      // An exchange: the new items come off what the returned ones are worth; the rest is store credit.
      const newItems = exchange ? chosen.reduce((n, c) => n + c.newMinor, 0) : 0;
      for (const c of chosen) {
        const note = this.slot(c.row, "difference", c.exchangeId ? fill(this.s.price_difference, { amount: signed(c.newMinor - c.valueMinor) }) : "");
        note.hidden = !exchange || !c.exchangeId;
      }
      const over = newItems - (items - restocking - shipping);
      if (over > 0) this.say(fill(this.s.costs_more, { amount: this.money(over, currency) }), true);
      this.slot(root, "items", this.money(items, currency));
      show("restocking", restocking, "−");
      show("shipping", shipping, "−");
      show("new-items", newItems, "−");
      show("bonus", bonus, "+");
      this.slot(root, "total-label", resolution === "store_credit" ? this.s.total_credit : exchange ? this.s.total_exchange : this.s.total_refund);
      this.slot(root, "total", over > 0 ? "–" : this.money(items - restocking - shipping - newItems + bonus, currency));
      return over;
    }

    /** Checks what the server would refuse, pointing at the first field to fix. */
    problem(chosen, resolution) {
      if (!chosen.length) return [this.s.errors.no_items, this.result.querySelector('[data-field="pick"]:not(:disabled)')];
      for (const c of chosen) {
        const reason = this.view.reasons.find((r) => r.id === c.field("reason").value);
        if (!reason) return [this.s.choose_reason, c.field("reason")];
        if (reason.requireNote && !c.field("note").value.trim()) return [this.s.errors.note_required, c.field("note")];
        if (isExchange(resolution) && !c.exchangeId) {
          return [this.s.errors.exchange_required, resolution === "exchange_any" ? c.field("search") : c.line.exchangeVariants.length ? c.field("exchange") : c.field("pick")];
        }
      }
      const over = this.refresh();
      if (over > 0) return [fill(this.s.costs_more, { amount: this.money(over, this.view.order.currency) }), chosen[0].field(resolution === "exchange_any" ? "search" : "exchange")];
      return null;
    }

    submitReturn() {
      const resolution = this.resolution();
      const chosen = this.chosen();
      for (const el of this.result.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
      const problem = this.problem(chosen, resolution);
      if (problem) {
        this.say(problem[0], true);
        if (problem[1]) {
          problem[1].setAttribute("aria-invalid", "true");
          problem[1].focus();
        }
        return;
      }
      const submit = this.result.querySelector('[data-slot="submit"]');
      submit.disabled = true;
      const items = chosen.map((c) => ({
        lineItemId: c.line.id,
        quantity: c.quantity,
        reason: c.field("reason").value,
        note: c.field("note").value.trim() || null,
        exchangeVariantId: isExchange(resolution) ? c.exchangeId : null,
      }));
      const view = this.view;
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

    showReturn(r, statusToken, justCreated) {
      const card = this.clone("return");
      this.slot(card, "title", fill(justCreated ? this.s.done_heading : this.s.status_heading, { number: r.number }));
      this.slot(card, "state", this.s.statuses[r.status] || r.status);
      this.slot(card, "order", fill(this.s.order_heading, { name: r.orderName }));
      this.slot(card, "next", this.s.next[r.status] || "");
      const items = this.slot(card, "items");
      for (const item of r.items) {
        const li = document.createElement("li");
        const exchanged = item.exchangeTitle ? ` · ${fill(this.s.exchange_states[item.exchangeState] || this.s.exchange_item, { title: item.exchangeTitle })}` : "";
        li.textContent = `${item.title}${item.variantTitle ? ` – ${item.variantTitle}` : ""} × ${item.quantity}${exchanged}`;
        items.append(li);
      }
      const label = r.resolution === "store_credit" ? this.s.total_credit : isExchange(r.resolution) ? this.s.total_exchange : this.s.total_refund;
      const amount = `${label}: ${this.money(r.amounts.storeCredit ?? r.amounts.total, r.currency)}`;
      this.slot(card, "amount", r.amounts.exchange ? `${this.s.new_items}: ${this.money(r.amounts.exchange, r.currency)} · ${amount}` : amount);
      if (r.instructions) {
        this.slot(card, "instructions-box").hidden = false;
        this.slot(card, "instructions", r.instructions);
        if (r.returnAddress) {
          this.slot(card, "address-title").hidden = false;
          Object.assign(this.slot(card, "address", r.returnAddress), { hidden: false });
        }
      }
      if (r.declineNote) {
        this.slot(card, "decline-box").hidden = false;
        this.slot(card, "decline", r.declineNote);
      }
      if (statusToken) {
        const url = new URL(location.href);
        url.searchParams.delete("token");
        url.searchParams.set("return", statusToken);
        Object.assign(this.slot(card, "link"), { href: url.toString(), hidden: false });
      }
      this.result.replaceChildren(card);
    }
  }

  customElements.define("aftercare-returns-portal", AftercareReturnsPortal);
})();
