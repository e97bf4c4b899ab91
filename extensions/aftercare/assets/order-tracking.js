// <aftercare-order-tracking>: fetches the app proxy and fills the templates Liquid rendered.
// No framework; every word comes from the block's Liquid (data-strings) or the API.
(() => {
  if (customElements.get("aftercare-order-tracking")) return;

  const https = (url) => (typeof url === "string" && /^https:\/\//i.test(url) ? url : null);
  const fill = (text, values) => text.replace(/%(\w+)%/g, (_, k) => (k in values ? values[k] : ""));

  class AftercareOrderTracking extends HTMLElement {
    connectedCallback() {
      this.s = JSON.parse(this.querySelector("[data-strings]").textContent);
      this.form = this.querySelector("[data-form]");
      this.status = this.querySelector("[data-status]");
      this.result = this.querySelector("[data-result]");
      this.onSubmit = (event) => {
        event.preventDefault();
        const data = new FormData(this.form);
        const order = String(data.get("order") || "").trim();
        const email = String(data.get("email") || "").trim();
        const missing = !order ? this.form.elements.order : !email ? this.form.elements.email : null;
        if (missing) {
          this.say(this.s.errors.invalid_request, true);
          missing.setAttribute("aria-invalid", "true");
          missing.focus();
          return;
        }
        this.lookup({ order, email });
      };
      this.onClick = (event) => {
        const open = event.target.closest("[data-token]");
        if (open) this.lookup({ token: open.dataset.token });
        if (event.target.closest('[data-action="again"]')) this.reset();
      };
      this.form.addEventListener("submit", this.onSubmit);
      this.addEventListener("click", this.onClick);
      const token = new URLSearchParams(location.search).get("token");
      if (token) this.lookup({ token });
      if (this.dataset.loggedIn) this.listMine();
    }

    disconnectedCallback() {
      this.form.removeEventListener("submit", this.onSubmit);
      this.removeEventListener("click", this.onClick);
      if (this.pending) this.pending.abort();
    }

    async get(params) {
      if (this.pending) this.pending.abort();
      this.pending = new AbortController();
      const query = new URLSearchParams({ ...params, locale: this.dataset.locale || "en" });
      const response = await fetch(`${this.dataset.endpoint}?${query}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: this.pending.signal,
      });
      const body = await response.json().catch(() => ({}));
      return { ok: response.ok, body };
    }

    say(text, isError) {
      this.status.textContent = text || "";
      this.status.classList.toggle("aftercare-tracking__status--error", Boolean(isError));
    }

    async lookup(params) {
      this.setAttribute("aria-busy", "true");
      this.result.classList.add("aftercare-tracking__result--loading");
      this.say(this.s.loading);
      try {
        const { ok, body } = await this.get(params);
        if (!ok) {
          this.say(this.s.errors[body.error] || this.s.errors.not_found, true);
          this.form.elements.order.focus();
          return;
        }
        this.say("");
        this.render(body);
        this.form.hidden = true;
        this.result.focus();
      } catch (error) {
        if (error.name !== "AbortError") this.say(this.s.errors.network, true);
      } finally {
        this.removeAttribute("aria-busy");
        this.result.classList.remove("aftercare-tracking__result--loading");
      }
    }

    async listMine() {
      const list = this.querySelector("[data-mine]");
      try {
        const { ok, body } = await this.get({});
        list.replaceChildren();
        const orders = (ok && body.customer && body.customer.orders) || [];
        if (!orders.length) list.append(Object.assign(document.createElement("li"), { textContent: this.s.no_orders }));
        for (const o of orders) {
          const li = document.createElement("li");
          const button = Object.assign(document.createElement("button"), { type: "button", className: "aftercare-tracking__link-button" });
          button.dataset.token = o.token;
          button.textContent = `${this.s.open_order} ${o.name}`;
          li.append(button, " ", this.time(o.placedAt));
          list.append(li);
        }
      } catch (error) {
        list.replaceChildren();
      } finally {
        list.removeAttribute("aria-busy");
      }
    }

    reset() {
      this.result.replaceChildren();
      this.form.hidden = false;
      this.form.elements.order.focus();
    }

    clone(name) {
      return this.querySelector(`template[data-template="${name}"]`).content.firstElementChild.cloneNode(true);
    }

    slot(root, name, text) {
      const el = root.querySelector(`[data-slot="${name}"]`);
      if (text !== undefined) el.textContent = text;
      return el;
    }

    time(iso, withTime) {
      const el = document.createElement("time");
      el.dateTime = iso;
      // A calendar day (YYYY-MM-DD, already in the shop's calendar) or an instant shown in the shop's zone.
      const day = /^\d{4}-\d{2}-\d{2}$/.test(iso);
      const date = day ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
      const options = { dateStyle: "medium", timeZone: day ? "UTC" : this.zone };
      if (withTime) options.timeStyle = "short";
      el.textContent = new Intl.DateTimeFormat(this.dataset.locale || undefined, options).format(date);
      return el;
    }

    /** A count in the page's numerals (Persian digits in Persian, like the dates). */
    num(n) {
      return new Intl.NumberFormat(this.dataset.locale || undefined).format(n);
    }

    label(key) {
      return (this.view.labels && this.view.labels[key]) || this.s.milestones[key];
    }

    show(flag) {
      return this.dataset[flag] !== "false";
    }

    render(view) {
      this.view = view;
      this.zone = view.timeZone;
      if (view.branding && view.branding.accentColor && !this.dataset.themeAccent) {
        this.style.setProperty("--aftercare-accent", view.branding.accentColor);
      }
      const order = this.clone("order");
      this.slot(order, "name", view.order.name);
      this.slot(order, "placed").append(this.time(view.order.placedAt));
      this.slot(order, "cancelled").hidden = !view.order.cancelled;
      const shipments = this.slot(order, "shipments");
      for (const shipment of view.shipments) shipments.append(this.card(shipment));
      if (view.preparing) this.slot(order, "preparing").append(this.preparing(view.preparing));
      if (view.recommendations.length && this.show("showRecommendations")) this.slot(order, "recommendations").append(this.products(view.recommendations));
      if (view.contact && this.show("showContact")) this.slot(order, "contact").append(this.contact(view.contact));
      this.result.replaceChildren(order);
    }

    steps(list, steps, problem) {
      for (const step of steps) {
        const li = document.createElement("li");
        li.className = `aftercare-tracking__step aftercare-tracking__step--${step.state}`;
        if (step.state === "current") li.setAttribute("aria-current", "step");
        const name = document.createElement("span");
        name.textContent = this.label(step.milestone);
        li.append(name);
        if (step.at) li.append(" ", this.time(step.at, true));
        list.append(li);
      }
      if (problem) {
        const li = document.createElement("li");
        li.className = "aftercare-tracking__step aftercare-tracking__step--problem";
        li.textContent = this.label(problem.kind);
        if (problem.at) li.append(" ", this.time(problem.at, true));
        list.append(li);
      }
    }

    estimate(card, estimate) {
      if (!estimate || !this.show("showEstimate")) return;
      const f = new Intl.DateTimeFormat(this.dataset.locale || undefined, { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
      const a = new Date(`${estimate.earliest}T12:00:00Z`);
      const b = new Date(`${estimate.latest}T12:00:00Z`);
      this.slot(card, "estimate", estimate.earliest === estimate.latest ? f.format(a) : f.formatRange(a, b));
      const basis = estimate.source === "carrier" ? this.s.estimate_carrier : estimate.source === "history" ? fill(this.s.estimate_history, { count: this.num(estimate.samples) }) : this.s.estimate_rules;
      this.slot(card, "estimate-basis", `(${basis})`);
      this.slot(card, "estimate-row").hidden = false;
    }

    items(card, items) {
      if (!items.length || !this.show("showItems")) return;
      const list = this.slot(card, "items");
      for (const item of items) {
        const li = this.clone("item");
        this.slot(li, "title", item.variantTitle ? `${item.title} · ${item.variantTitle}` : item.title);
        this.slot(li, "quantity", fill(this.s.quantity, { count: this.num(item.quantity) }));
        const img = this.slot(li, "image");
        if (https(item.imageUrl) && this.show("showImages")) {
          img.src = item.imageUrl;
          img.hidden = false;
        }
        list.append(li);
      }
      this.slot(card, "items-block").hidden = false;
    }

    card(shipment) {
      const card = this.clone("shipment");
      this.slot(card, "title", fill(this.s.shipment, { number: this.num(shipment.number) }) + " · " + this.label(shipment.stage));
      const banner = shipment.delay ? this.s.delays[shipment.delay.reason] : shipment.problem ? this.s.problems[shipment.problem.kind] : null;
      if (banner) {
        const el = this.slot(card, "banner", banner);
        el.hidden = false;
      }
      this.steps(this.slot(card, "steps"), shipment.steps, shipment.problem);
      this.estimate(card, shipment.estimate);
      if (shipment.deliveredAt) {
        this.slot(card, "delivered").append(this.time(shipment.deliveredAt, true));
        this.slot(card, "delivered-row").hidden = false;
      }
      if (shipment.carrier) {
        this.slot(card, "carrier", shipment.carrier.name);
        this.slot(card, "carrier-row").hidden = false;
      }
      if (shipment.trackingNumber) {
        this.slot(card, "number", shipment.trackingNumber);
        const link = this.slot(card, "carrier-link");
        if (https(shipment.trackingUrl)) {
          link.href = shipment.trackingUrl;
          link.hidden = false;
        }
        this.slot(card, "number-row").hidden = false;
      }
      this.items(card, shipment.items);
      if (shipment.scans.length && this.show("showScans")) {
        const list = this.slot(card, "scans");
        for (const scan of shipment.scans) {
          const li = document.createElement("li");
          li.append(this.time(scan.at, true), " ", scan.message || this.label(scan.status) || scan.status, scan.location ? ` · ${scan.location}` : "");
          list.append(li);
        }
        this.slot(card, "scans-block").hidden = false;
      }
      return card;
    }

    preparing(p) {
      const card = this.clone("shipment");
      this.slot(card, "title", this.s.preparing_heading);
      if (p.delay) {
        this.slot(card, "banner", this.s.delays[p.delay.reason]).hidden = false;
      }
      const row = this.slot(card, "delivered-row");
      row.querySelector("dt").textContent = this.s.expected_ship;
      this.slot(card, "delivered").append(this.time(p.expectedShipDate));
      row.hidden = false;
      this.estimate(card, p.estimate);
      this.items(card, p.items);
      return card;
    }

    products(products) {
      const section = document.createElement("section");
      const h = Object.assign(document.createElement("h4"), { textContent: this.s.recommendations });
      const list = Object.assign(document.createElement("ul"), { className: "aftercare-tracking__products" });
      const money = new Intl.NumberFormat(this.dataset.locale || undefined, { style: "currency", currency: products[0].price.currency });
      const digits = money.resolvedOptions().maximumFractionDigits;
      for (const p of products) {
        const url = https(p.url);
        if (!url) continue;
        const li = this.clone("product");
        this.slot(li, "link").href = url;
        this.slot(li, "title", p.title);
        this.slot(li, "price", money.format(p.price.amountMinor / 10 ** digits));
        const img = this.slot(li, "image");
        if (https(p.imageUrl)) {
          img.src = p.imageUrl;
          img.alt = p.imageAlt || "";
          img.hidden = false;
        }
        list.append(li);
      }
      section.append(h, list);
      return section;
    }

    contact(c) {
      const p = Object.assign(document.createElement("p"), { className: "aftercare-tracking__contact", textContent: `${this.s.contact} ` });
      if (c.email) p.append(Object.assign(document.createElement("a"), { href: `mailto:${c.email}`, textContent: this.s.contact_email }));
      if (c.url && https(c.url)) p.append(" ", Object.assign(document.createElement("a"), { href: c.url, textContent: this.s.contact_page }));
      return p;
    }
  }

  customElements.define("aftercare-order-tracking", AftercareOrderTracking);
})();
