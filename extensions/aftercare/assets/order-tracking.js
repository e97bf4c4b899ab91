// @ts-check
// <aftercare-order-tracking>: fetches the app proxy and fills the templates Liquid rendered.
// No framework; every word comes from the block's Liquid (data-strings) or the API.
(() => {
  if (customElements.get("aftercare-order-tracking")) return;

  /** @param {unknown} url */
  const https = (url) => (typeof url === "string" && /^https:\/\//i.test(url) ? url : null);
  /** @param {string} text @param {Record<string, string>} values */
  const fill = (text, values) => text.replace(/%(\w+)%/g, (_, k) => (k in values ? values[k] : ""));
  /**
   * A part the block's Liquid always renders.
   * @template {Element} [T=HTMLElement] @param {ParentNode} root @param {string} selector @returns {T}
   */
  const find = (root, selector) => /** @type {T} */ (root.querySelector(selector));
  // An order number kept whole and left-to-right in a Persian sentence ("#1302", never "1302#").
  /** @param {string} text */
  const bdi = (text) => Object.assign(document.createElement("bdi"), { dir: "ltr", textContent: text });

  class AftercareOrderTracking extends HTMLElement {
    /** @type {any} the block's words (data-strings) */
    s;
    /** @type {HTMLFormElement} */ form;
    /** @type {HTMLInputElement} */ order;
    /** @type {HTMLInputElement} */ email;
    /** @type {HTMLElement} */ status;
    /** @type {HTMLElement} */ result;
    /** @type {AbortController} ends the listeners on disconnect */ listening;
    /** @type {TrackingView} */ view;
    /** @type {string} */ zone;
    /** @type {AbortController | null} the lookup on its way: a newer one replaces it */ pending = null;

    connectedCallback() {
      this.s = JSON.parse(find(this, "[data-strings]").textContent || "{}");
      this.form = find(this, "[data-form]");
      this.order = find(this.form, '[name="order"]');
      this.email = find(this.form, '[name="email"]');
      this.status = find(this, "[data-status]");
      this.result = find(this, "[data-result]");
      const options = { signal: (this.listening = new AbortController()).signal };
      this.form.addEventListener(
        "submit",
        (event) => {
          event.preventDefault();
          const order = this.order.value.trim();
          const email = this.email.value.trim();
          for (const input of [this.order, this.email]) input.removeAttribute("aria-invalid");
          // The block's own words, never the browser's (which speak the browser's language).
          const missing = [this.order, this.email].find((input) => !input.value.trim());
          const wrong = missing || (this.email.validity.typeMismatch && this.email);
          if (wrong) {
            const message = missing ? this.s.errors.invalid_request : this.s.errors.invalid_email;
            wrong.setCustomValidity(message);
            this.say(message, true);
            wrong.setAttribute("aria-invalid", "true");
            wrong.focus();
            return;
          }
          for (const input of [this.order, this.email]) input.setCustomValidity("");
          this.lookup({ order, email });
        },
        options,
      );
      this.addEventListener(
        "click",
        (event) => {
          const target = /** @type {Element} */ (event.target);
          // A signed-in shopper's own order, listed by Liquid: opened by its name alone.
          const open = /** @type {HTMLElement | null} */ (target.closest("[data-order]"));
          if (open && open.dataset.order) this.lookup({ order: open.dataset.order });
          if (target.closest('[data-action="again"]')) this.reset();
        },
        options,
      );
      const token = new URLSearchParams(location.search).get("token");
      if (token) this.lookup({ token });
      // Liquid wrote the list's days as YYYY-MM-DD: the same day in the shopper's words, in place.
      for (const day of /** @type {NodeListOf<HTMLTimeElement>} */ (this.querySelectorAll("time[data-day]")))
        day.textContent = this.time(day.dateTime).textContent;
    }

    disconnectedCallback() {
      this.listening.abort();
      this.pending?.abort();
      this.pending = null;
    }

    /**
     * One GET to the app proxy. Resolves to null when a newer lookup (or disconnecting) replaced
     * it: that one owns the page now.
     * @param {Record<string, string>} params
     */
    async get(params) {
      this.pending?.abort();
      const controller = new AbortController();
      this.pending = controller;
      const current = () => this.pending === controller;
      const query = new URLSearchParams({ ...params, locale: this.dataset.locale || "en" });
      // Given up after 15 s rather than "Looking up…" until the browser gives up (minutes).
      const timer = setTimeout(() => controller.abort(), 15e3);
      try {
        const response = await fetch(`${this.dataset.endpoint}?${query}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: controller.signal,
        });
        const body = await response.json().catch(() => ({}));
        return current() ? { ok: response.ok, status: response.status, body } : null;
      } catch (error) {
        if (!current()) return null;
        throw error;
      } finally {
        clearTimeout(timer);
        if (current()) this.pending = null;
      }
    }

    /** @param {string} text @param {boolean} [isError] */
    say(text, isError) {
      this.status.textContent = text || "";
      this.status.classList.toggle("aftercare-tracking__status--error", Boolean(isError));
    }

    /** @param {Record<string, string>} params */
    async lookup(params) {
      this.setAttribute("aria-busy", "true");
      this.result.classList.add("aftercare-tracking__result--loading");
      this.say(this.s.loading);
      /** @type {string} */
      let problem;
      try {
        const answer = await this.get(params);
        if (!answer) return;
        if (answer.ok) {
          this.say("");
          this.render(answer.body);
          this.form.hidden = true;
          this.result.focus();
          return this.idle();
        }
        // A refusal the block words, else "not found" for a 404 and "try again" for the rest.
        problem = this.s.errors[answer.body.error] || this.s.errors[answer.status === 404 ? "not_found" : "network"];
      } catch {
        problem = this.s.errors.network;
      }
      this.idle();
      this.say(problem, true);
      // The form is how the shopper acts on it (an expired link says to type the order instead).
      this.result.replaceChildren();
      this.form.hidden = false;
      this.order.focus();
    }

    idle() {
      this.removeAttribute("aria-busy");
      this.result.classList.remove("aftercare-tracking__result--loading");
    }

    reset() {
      this.result.replaceChildren();
      this.form.hidden = false;
      this.order.focus();
    }

    /** @param {string} name @returns {HTMLElement} */
    clone(name) {
      const template = find(this, `template[data-template="${name}"]`);
      const content = /** @type {HTMLTemplateElement} */ (template).content;
      return /** @type {HTMLElement} */ (content.firstElementChild?.cloneNode(true));
    }

    /**
     * A slot of a cloned template, filled with text when given.
     * @template {HTMLElement} [T=HTMLElement]
     * @param {ParentNode} root @param {string} name @param {string} [text] @returns {T}
     */
    piece(root, name, text) {
      /** @type {T} */
      const el = find(root, `[data-slot="${name}"]`);
      if (text !== undefined) el.textContent = text;
      return el;
    }

    /** @param {string} iso @param {boolean} [withTime] */
    time(iso, withTime) {
      const el = document.createElement("time");
      el.dateTime = iso;
      // A calendar day (YYYY-MM-DD, already in the shop's calendar) or an instant shown in the
      // shopper's zone, named, so "14:05" is never a guess.
      const day = /^\d{4}-\d{2}-\d{2}$/.test(iso);
      const date = day ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
      /** @type {Intl.DateTimeFormatOptions} */
      const options = withTime
        ? { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", timeZoneName: "short" }
        : { dateStyle: "medium" };
      options.timeZone = day ? "UTC" : this.zone;
      el.textContent = new Intl.DateTimeFormat(this.dataset.locale || undefined, options).format(date);
      return el;
    }

    /** A count in the page's digits (Persian digits in Persian, like the dates). @param {number} n */
    num(n) {
      return new Intl.NumberFormat(this.dataset.locale || undefined).format(n);
    }

    /**
     * A counted phrase in the form the language's plural rules ask for ("1 delivery", "2 deliveries").
     * @param {Record<string, string>} forms @param {number} n
     */
    counted(forms, n) {
      const form = forms[new Intl.PluralRules(this.dataset.locale || undefined).select(n)] || forms.other;
      return fill(form, { count: this.num(n) });
    }

    /** @param {string} key @returns {string} */
    label(key) {
      return (this.view.labels && this.view.labels[key]) || this.s.milestones[key];
    }

    /** @param {string} flag */
    show(flag) {
      return this.dataset[flag] !== "false";
    }

    /** @param {TrackingView} view */
    render(view) {
      this.view = view;
      // The shopper's own zone when the browser says it, else the shop's.
      this.zone = Intl.DateTimeFormat().resolvedOptions().timeZone || view.timeZone;
      // The app's own default (#1f5199) means the merchant chose no colour: the theme's wins.
      const accent = view.branding && view.branding.accentColor;
      if (accent && !/^#1f5199$/i.test(accent) && !this.dataset.themeAccent) {
        this.style.setProperty("--aftercare-accent", accent);
        this.dataset.accent = "";
      }
      const order = this.clone("order");
      this.piece(order, "name").append(bdi(view.order.name));
      this.piece(order, "placed").append(this.time(view.order.placedAt));
      this.piece(order, "cancelled").hidden = !view.order.cancelled;
      const shipments = this.piece(order, "shipments");
      for (const shipment of view.shipments) shipments.append(this.card(shipment));
      if (view.preparing) this.piece(order, "preparing").append(this.preparing(view.preparing));
      if (view.recommendations.length && this.show("showRecommendations"))
        this.piece(order, "recommendations").append(this.products(view.recommendations));
      if (view.contact && this.show("showContact")) this.piece(order, "contact").append(this.contact(view.contact));
      this.result.replaceChildren(order);
    }

    /**
     * @param {HTMLElement} list @param {TrackingShipment["steps"]} steps
     * @param {TrackingShipment["problem"]} problem
     */
    steps(list, steps, problem) {
      /** @type {HTMLLIElement | null} */
      let current = null;
      for (const step of steps) {
        const li = document.createElement("li");
        li.className = `aftercare-tracking__step aftercare-tracking__step--${step.state}`;
        if (step.state === "current") {
          li.setAttribute("aria-current", "step");
          current = li;
        }
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
        // Where the parcel is now, before the steps still to come ("Delayed" never after "Delivered").
        if (current) current.after(li);
        else list.append(li);
      }
    }

    /** @param {HTMLElement} card @param {TrackingEstimate | null} estimate */
    estimate(card, estimate) {
      if (!estimate || !this.show("showEstimate")) return;
      const f = new Intl.DateTimeFormat(this.dataset.locale || undefined, {
        weekday: "short",
        month: "short",
        day: "numeric",
        timeZone: "UTC",
      });
      const a = new Date(`${estimate.earliest}T12:00:00Z`);
      const b = new Date(`${estimate.latest}T12:00:00Z`);
      this.piece(card, "estimate", estimate.earliest === estimate.latest ? f.format(a) : f.formatRange(a, b));
      const basis =
        estimate.source === "carrier"
          ? this.s.estimate_carrier
          : estimate.source === "history"
            ? this.counted(this.s.estimate_history, estimate.samples || 0)
            : this.s.estimate_rules;
      this.piece(card, "estimate-basis", `(${basis})`);
      this.piece(card, "estimate-row").hidden = false;
    }

    /** @param {HTMLElement} card @param {TrackingItem[]} items */
    items(card, items) {
      if (!items.length || !this.show("showItems")) return;
      const list = this.piece(card, "items");
      for (const item of items) {
        const li = this.clone("item");
        this.piece(li, "title", item.variantTitle ? `${item.title} · ${item.variantTitle}` : item.title);
        this.piece(li, "quantity", fill(this.s.quantity, { count: this.num(item.quantity) }));
        /** @type {HTMLImageElement} */
        const img = this.piece(li, "image");
        const src = https(item.imageUrl);
        if (src && this.show("showImages")) {
          img.src = src;
          img.hidden = false;
        }
        list.append(li);
      }
      this.piece(card, "items-block").hidden = false;
    }

    /** @param {TrackingShipment} shipment */
    card(shipment) {
      const card = this.clone("shipment");
      this.piece(
        card,
        "title",
        `${fill(this.s.shipment, { number: this.num(shipment.number) })} · ${this.label(shipment.stage)}`,
      );
      const banner = shipment.delay
        ? this.s.delays[shipment.delay.reason]
        : shipment.problem
          ? this.s.problems[shipment.problem.kind]
          : null;
      if (banner) this.piece(card, "banner", banner).hidden = false;
      this.steps(this.piece(card, "steps"), shipment.steps, shipment.problem);
      this.estimate(card, shipment.estimate);
      if (shipment.deliveredAt) {
        this.piece(card, "delivered").append(this.time(shipment.deliveredAt, true));
        this.piece(card, "delivered-row").hidden = false;
      }
      if (shipment.carrier) {
        this.piece(card, "carrier", shipment.carrier.name);
        this.piece(card, "carrier-row").hidden = false;
      }
      if (shipment.trackingNumber) {
        this.piece(card, "number", shipment.trackingNumber);
        /** @type {HTMLAnchorElement} */
        const link = this.piece(card, "carrier-link");
        const href = https(shipment.trackingUrl);
        if (href) {
          link.href = href;
          link.hidden = false;
        }
        this.piece(card, "number-row").hidden = false;
      }
      this.items(card, shipment.items);
      if (shipment.scans.length && this.show("showScans")) {
        const list = this.piece(card, "scans");
        for (const scan of shipment.scans) {
          const li = document.createElement("li");
          li.append(
            this.time(scan.at, true),
            " ",
            scan.message || this.label(scan.status) || scan.status,
            scan.location ? ` · ${scan.location}` : "",
          );
          list.append(li);
        }
        this.piece(card, "scans-block").hidden = false;
      }
      return card;
    }

    /** @param {NonNullable<TrackingView["preparing"]>} p */
    preparing(p) {
      const card = this.clone("shipment");
      this.piece(card, "title", this.s.preparing_heading);
      if (p.delay) {
        this.piece(card, "banner", this.s.delays[p.delay.reason]).hidden = false;
      }
      const row = this.piece(card, "delivered-row");
      find(row, "dt").textContent = this.s.expected_ship;
      this.piece(card, "delivered").append(this.time(p.expectedShipDate));
      row.hidden = false;
      this.estimate(card, p.estimate);
      this.items(card, p.items);
      return card;
    }

    /** @param {TrackingView["recommendations"]} products */
    products(products) {
      const section = document.createElement("section");
      const h = Object.assign(document.createElement("h4"), { textContent: this.s.recommendations });
      const list = Object.assign(document.createElement("ul"), { className: "aftercare-tracking__products" });
      const money = new Intl.NumberFormat(this.dataset.locale || undefined, {
        style: "currency",
        currency: products[0].price.currency,
      });
      const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
      for (const p of products) {
        const url = https(p.url);
        if (!url) continue;
        const li = this.clone("product");
        /** @type {HTMLAnchorElement} */ (this.piece(li, "link")).href = url;
        this.piece(li, "title", p.title);
        this.piece(li, "price", money.format(p.price.amountMinor / 10 ** digits));
        /** @type {HTMLImageElement} */
        const img = this.piece(li, "image");
        const src = https(p.imageUrl);
        if (src) {
          img.src = src;
          img.alt = p.imageAlt || "";
          img.hidden = false;
        }
        list.append(li);
      }
      section.append(h, list);
      return section;
    }

    /** @param {NonNullable<TrackingView["contact"]>} c */
    contact(c) {
      const p = Object.assign(document.createElement("p"), {
        className: "aftercare-tracking__contact",
        textContent: `${this.s.contact} `,
      });
      if (c.email)
        p.append(
          Object.assign(document.createElement("a"), { href: `mailto:${c.email}`, textContent: this.s.contact_email }),
        );
      if (c.url && https(c.url))
        p.append(" ", Object.assign(document.createElement("a"), { href: c.url, textContent: this.s.contact_page }));
      return p;
    }
  }

  customElements.define("aftercare-order-tracking", AftercareOrderTracking);
})();
