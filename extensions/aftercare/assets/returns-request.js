// @ts-check
// <aftercare-returns-request>: the return form of one order, inside the returns block. The block
// (returns-portal.js) loads this script only when a shopper opens an order, while the order is
// being looked up, and puts this element in its result: choosing items, a reason and a
// resolution (an exchange for any product searches the shop's products), photos for a reason that
// asks for them (uploaded straight to Shopify's staged upload targets when the return is sent), the
// amount before submitting, and the request itself. The block's script keeps the words, the requests and the
// return's status.
(() => {
  if (customElements.get("aftercare-returns-request")) return;

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
  // The server's limits (app/domain/returns/photos.ts): checked here first, in the shopper's words.
  /** @param {File[]} files */
  const photoProblem = (files) =>
    files.length > 3
      ? "too_many_photos"
      : files.some((f) => !/^image\/(jpeg|png|webp)$/.test(f.type))
        ? "photo_type"
        : files.some((f) => f.size > 5 * 1024 * 1024)
          ? "photo_too_large"
          : null;

  class AftercareReturnsRequest extends HTMLElement {
    /** @type {ReturnsPortalElement} */ p;
    /** @type {ReturnsStrings} */ s;
    /** @type {ReturnsOrderView} */ view;
    /** @type {string} */ key;
    /** @type {AbortController} */ listening;

    connectedCallback() {
      const options = { signal: (this.listening = new AbortController()).signal };
      this.addEventListener(
        "submit",
        (event) => {
          event.preventDefault();
          const active = document.activeElement;
          /** @type {HTMLElement | null | undefined} */
          const searching = active?.closest("[data-line]");
          // Enter in a search field searches rather than sending the return.
          if (searching && active?.matches('[data-field="search"]')) this.search(searching);
          else this.submitReturn();
        },
        options,
      );
      this.addEventListener(
        "click",
        (event) => {
          const target = on(event);
          /** @type {HTMLElement | null} */
          const line = target.closest("[data-line]");
          if (line && target.closest('[data-action="search"]')) this.search(line);
        },
        options,
      );
      /** @param {Event} event */
      const changed = (event) => {
        // A problem the shopper is fixing stops being announced once they change something.
        if (this.p.status.classList.contains("aftercare-returns__status--error")) this.p.say("");
        const target = on(event);
        target.removeAttribute("aria-invalid");
        this.refresh();
        /** @type {HTMLElement | null} */
        const row = target.closest("[data-line]");
        const chosen = row && target.matches('[data-field="photos"]') && this.photos(row);
        if (chosen) this.p.piece(row, "photos-chosen", chosen.map((f) => f.name).join(", "));
        const bad = chosen && photoProblem(chosen);
        if (bad) {
          this.p.say(this.s.errors[bad], true);
          target.setAttribute("aria-invalid", "true");
        }
      };
      this.addEventListener("change", changed, options);
      this.addEventListener("input", changed, options);
    }

    disconnectedCallback() {
      this.listening.abort();
    }

    /** @param {ReturnsPortalElement} portal @param {ReturnsOrderView} view */
    show(portal, view) {
      this.p = portal;
      this.s = portal.s;
      const { p, s } = this;
      this.view = view;
      this.key = newKey();
      const root = p.clone("order");
      p.piece(root, "name").append(p.sentence(s.order_heading, { name: view.order.name }));
      const lines = p.piece(root, "lines");
      for (const line of view.lines) lines.append(this.lineRow(line));
      const choices = p.piece(root, "resolutions");
      view.resolutions.forEach((r, i) => {
        const choice = p.clone("resolution");
        const input = field(choice, "resolution");
        input.value = r.id;
        input.checked = i === 0;
        p.piece(choice, "label", s.resolutions[r.id]);
        p.piece(
          choice,
          "bonus-note",
          r.bonusPercent > 0
            ? fill(s.resolutions.bonus, {
                percent: new Intl.NumberFormat(p.dataset.locale || undefined, { style: "percent" }).format(
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
        for (const part of ["resolution-box", "summary", "submit"]) p.piece(root, part).hidden = true;
        p.piece(root, "nothing").hidden = false;
      }
      if (!view.enabled) {
        p.say(s.errors.returns_off, true);
        /** @type {HTMLButtonElement} */ (p.piece(root, "submit")).disabled = true;
      }
      if (p.dataset.showPrevious !== "false" && view.returns.length) {
        p.piece(root, "previous-box").hidden = false;
        const list = p.piece(root, "previous");
        for (const r of view.returns) {
          const li = document.createElement("li");
          const status = s.statuses[r.status] || r.status;
          li.append(p.sentence(s.status_heading, { number: r.number }), `: ${status}`);
          p.payment(li, r);
          list.append(li);
        }
      }
      this.replaceChildren(root);
      this.refresh();
    }

    /** @param {ReturnLine} line */
    lineRow(line) {
      const { p, s } = this;
      const row = p.clone("line");
      row.dataset.line = line.id;
      const pick = field(row, "pick");
      p.piece(row, "title", line.title);
      pick.setAttribute("aria-label", fill(s.select_item, { title: line.title }));
      p.piece(row, "variant", line.variantTitle || "");
      if (line.imageUrl && /^https:\/\//i.test(line.imageUrl))
        Object.assign(p.piece(row, "image"), { src: line.imageUrl, hidden: false });
      const availability = p.piece(row, "availability");
      if (line.reason) {
        pick.disabled = true;
        availability.textContent = fill(s.why[line.reason] || s.why.not_returnable, {
          date: p.date(line.windowEndsAt).textContent,
        });
        row.classList.add("aftercare-returns__line--off");
        return row;
      }
      const until = fill(s.window_until, { date: p.date(line.windowEndsAt).textContent });
      availability.textContent = `${fill(s.returnable_count, { count: p.num(line.returnable) })} · ${until}`;
      const quantity = field(row, "quantity");
      for (let n = 1; n <= line.returnable; n++) quantity.append(new Option(p.num(n), String(n)));
      const reason = field(row, "reason");
      for (const r of this.view.reasons) reason.append(new Option(r.label, r.id));
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
      const { p, s } = this;
      const results = p.piece(row, "results");
      p.say(s.searching);
      try {
        const search = field(row, "search").value.trim();
        /** @type {ProxyReply<ExchangeSearch> | null} */
        const answer = await p.call("search", { search, token: this.view.token });
        if (!answer) return;
        if (!answer.ok) return p.say(p.error(answer, "generic"), true);
        const body = answer.body;
        p.say("");
        results.replaceChildren();
        if (!body.products.length)
          results.append(Object.assign(document.createElement("li"), { textContent: s.no_results }));
        for (const product of body.products) {
          const li = document.createElement("li");
          if (product.imageUrl)
            li.append(
              Object.assign(document.createElement("img"), {
                src: product.imageUrl,
                alt: "",
                width: 48,
                height: 48,
                loading: "lazy",
              }),
            );
          const choices = document.createElement("div");
          choices.append(Object.assign(document.createElement("strong"), { textContent: product.title }));
          for (const v of product.variants) {
            const input = Object.assign(document.createElement("input"), {
              type: "radio",
              name: `any-${row.dataset.line}`,
              value: v.id,
              price: v.priceMinor,
            });
            input.dataset.field = "any";
            const label = Object.assign(document.createElement("label"), { className: "aftercare-returns__choice" });
            label.append(input, ` ${v.title} · ${p.money(v.priceMinor, body.currency)}`);
            choices.append(label);
          }
          li.append(choices);
          results.append(li);
        }
      } catch {
        p.say(s.errors.network, true);
      }
    }

    resolution() {
      /** @type {HTMLInputElement | null} */
      const checked = this.querySelector('[data-field="resolution"]:checked');
      return checked ? checked.value : null;
    }

    /** @param {HTMLElement} row @returns {ReturnLine} */
    lineOf(row) {
      return /** @type {ReturnLine} */ (this.view.lines.find((l) => l.id === row.dataset.line));
    }

    /** Which lines are chosen, and what they are worth as the server will quote them. @returns {ChosenLine[]} */
    chosen() {
      /** @type {NodeListOf<HTMLElement>} */
      const rows = this.querySelectorAll("[data-line]");
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

    /** Shows what the return is worth as chosen; what the shopper pays for dearer new items, else 0. */
    refresh() {
      const { p, s, view } = this;
      /** @type {HTMLElement | null} */
      const root = this.querySelector("[data-request]");
      if (!root) return 0;
      const resolution = this.resolution();
      const exchange = isExchange(resolution);
      for (const row of root.querySelectorAll("[data-line]")) {
        const picked = field(row, "pick").checked;
        const line = this.lineOf(/** @type {HTMLElement} */ (row));
        p.piece(row, "details").hidden = !picked;
        const variant = resolution === "exchange_variant";
        p.piece(row, "exchange-box").hidden = !variant || !line.exchangeVariants.length;
        p.piece(row, "no-exchange").hidden = !variant || line.exchangeVariants.length > 0;
        p.piece(row, "any-box").hidden = resolution !== "exchange_any";
        const reason = view.reasons.find((r) => r.id === field(row, "reason").value);
        field(row, "note").required = Boolean(reason && reason.requireNote);
        p.piece(row, "photos-box").hidden = !reason?.photos;
      }
      const chosen = this.chosen();
      const option = view.resolutions.find((r) => r.id === resolution) || { bonusPercent: 0 };
      const fees = view.fees;
      const items = chosen.reduce((n, c) => n + c.valueMinor, 0);
      const waived = exchange && fees.waiveForExchanges;
      const restocking = waived ? 0 : Math.min(items, percentOf(items, fees.restockingPercent));
      const shipping = waived || !items ? 0 : Math.min(items - restocking, fees.returnShippingMinor);
      const bonus = percentOf(items, option.bonusPercent);
      const currency = view.order.currency;
      /** @param {number} minor */
      const signed = (minor) => `${minor < 0 ? "−" : "+"}${p.money(Math.abs(minor), currency)}`;
      /** @param {string} name @param {number} minor @param {string} sign */
      const show = (name, minor, sign) => {
        p.piece(root, `${name}-row`).hidden = minor === 0;
        p.piece(root, name, `${sign}${p.money(minor, currency)}`);
      };
      // An exchange: the new items come off what the returned ones are worth; the rest is store credit.
      const newItems = exchange ? chosen.reduce((n, c) => n + c.newMinor, 0) : 0;
      for (const c of chosen) {
        const note = p.piece(
          c.row,
          "difference",
          c.exchangeId ? fill(s.price_difference, { amount: signed(c.newMinor - c.valueMinor) }) : "",
        );
        note.hidden = !exchange || !c.exchangeId;
      }
      // Dearer new items are paid through Shopify's invoice (the server's figure counts): their
      // price less what the returned items were paid; fees are not added, the bonus is still credited.
      const over = Math.max(0, newItems - items);
      // Said as Shopify's invoice will tax it (the order's prices before tax, with tax, or untaxed).
      const tax = view.order.tax;
      const costs = tax === "included" ? s.costs_more_included : tax === "none" ? s.costs_more_untaxed : s.costs_more;
      if (over > 0) p.say(fill(costs, { amount: p.money(over, currency) }));
      p.piece(root, "items", p.money(items, currency));
      show("restocking", restocking, "−");
      show("shipping", shipping, "−");
      show("new-items", newItems, "−");
      show("bonus", bonus, "+");
      p.piece(
        root,
        "total-label",
        resolution === "store_credit" ? s.total_credit : exchange ? s.total_exchange : s.total_refund,
      );
      p.piece(root, "total", p.money(Math.max(0, items - restocking - shipping - newItems) + bonus, currency));
      return over;
    }

    /**
     * Checks what the server would refuse: the problem, and the first field to fix.
     * @param {ChosenLine[]} chosen @param {string | null} resolution
     * @returns {[string, Element | null] | null}
     */
    problem(chosen, resolution) {
      const { s, view } = this;
      if (!chosen.length) return [s.errors.no_items, this.querySelector('[data-field="pick"]:not(:disabled)')];
      for (const c of chosen) {
        const reason = view.reasons.find((r) => r.id === field(c.row, "reason").value);
        if (!reason) return [s.choose_reason, field(c.row, "reason")];
        const note = field(c.row, "note");
        if (reason.requireNote && !note.value.trim()) return [s.errors.note_required, note];
        const bad = photoProblem(this.photos(c.row));
        if (bad) return [s.errors[bad], field(c.row, "photos")];
        if (isExchange(resolution) && !c.exchangeId) {
          const fix = resolution === "exchange_any" ? "search" : c.line.exchangeVariants.length ? "exchange" : "pick";
          return [s.errors.exchange_required, field(c.row, fix)];
        }
      }
      this.refresh();
      return null;
    }

    /** The photos chosen for a line, when its reason asks for them. @param {Element} row @returns {File[]} */
    photos(row) {
      return this.p.piece(row, "photos-box").hidden ? [] : [...(field(row, "photos").files || [])];
    }

    /**
     * Uploads a line's photos straight to Shopify's staged upload targets, which the app proxy asks
     * for; the tokens that name them in the return request. Throws what to tell the shopper.
     * @param {string} lineId @param {File[]} files @returns {Promise<string[] | null>}
     */
    async upload(lineId, files) {
      const { p, s } = this;
      if (!files.length) return [];
      const uploads = files.map((f) => ({ filename: f.name, mimeType: f.type, fileSize: f.size }));
      /** @type {ProxyReply<PhotoTargets> | null} */
      const answer = await p.call(`photos-${lineId}`, {}, { token: this.view.token, uploads });
      if (!answer) return null;
      if (!answer.ok) throw p.error(answer, "photo_upload");
      return Promise.all(
        answer.body.targets.map(async (target, i) => {
          const form = new FormData();
          for (const x of target.parameters) form.append(x.name, x.value);
          // The storage wants the file last.
          form.append("file", files[i]);
          const sent = await fetch(target.url, { method: "POST", body: form }).catch(() => null);
          if (!sent?.ok) throw s.errors.photo_upload;
          return target.photo;
        }),
      );
    }

    async submitReturn() {
      const { p, s, view } = this;
      const resolution = this.resolution();
      const chosen = this.chosen();
      for (const el of this.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
      const problem = this.problem(chosen, resolution);
      if (problem) {
        p.say(problem[0], true);
        if (problem[1]) {
          problem[1].setAttribute("aria-invalid", "true");
          /** @type {HTMLElement} */ (problem[1]).focus();
        }
        return;
      }
      /** @type {HTMLButtonElement} */
      const submit = p.piece(this, "submit");
      submit.disabled = true;
      /** @type {(string[] | null)[]} */
      let photos;
      try {
        if (chosen.some((c) => this.photos(c.row).length)) p.say(s.photos_uploading);
        photos = await Promise.all(chosen.map((c) => this.upload(c.line.id, this.photos(c.row))));
      } catch (error) {
        submit.disabled = false;
        return p.say(typeof error === "string" ? error : s.errors.photo_upload, true);
      }
      if (!this.isConnected || photos.includes(null)) return;
      const items = chosen.map((c, i) => ({
        lineItemId: c.line.id,
        quantity: c.quantity,
        reason: field(c.row, "reason").value,
        note: field(c.row, "note").value.trim() || null,
        exchangeVariantId: isExchange(resolution) ? c.exchangeId : null,
        ...(photos[i]?.length && { photos: photos[i] }),
      }));
      const request = { token: view.token, key: this.key, resolution, locale: p.dataset.locale || "en", items };
      return p.busy(s.submitting, "submit", {}, request, null, (answer) => {
        submit.disabled = false;
        // Another order was opened meanwhile: this answer is not about what is on screen.
        if (!this.isConnected) return;
        if (!answer.ok) return p.say(p.error(answer, "generic"), true);
        p.say("");
        p.showReturn(answer.body.return, answer.body.statusToken, true);
        p.result.focus();
      });
    }
  }

  customElements.define("aftercare-returns-request", AftercareReturnsRequest);
})();
