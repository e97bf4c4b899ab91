// @ts-check
/**
 * <aftercare-loyalty>: fills the Rewards block rendered by blocks/loyalty-widget.liquid from
 * /apps/aftercare/loyalty and redeems rewards. Every word comes from the Liquid (data-strings);
 * the app proxy identifies the shopper, so nothing here says who they are.
 */
(() => {
  if (customElements.get("aftercare-loyalty")) return;

  /**
   * A part the block's Liquid renders (or a template's copy of it).
   * @template {Element} [T=HTMLElement] @param {ParentNode} root @param {string} selector @returns {T}
   */
  const find = (root, selector) => /** @type {T} */ (root.querySelector(selector));
  /** @param {Element} template @returns {HTMLElement} */
  const copy = (template) =>
    /** @type {HTMLElement} */ (
      /** @type {HTMLTemplateElement} */ (template).content.firstElementChild?.cloneNode(true)
    );

  class AftercareLoyalty extends HTMLElement {
    /** @type {LoyaltyStrings} */ strings;
    /** @type {string} */ locale;
    /** @type {LoyaltySummary} */ data;
    /** @type {AbortController} removes the listeners on disconnect */ listening;
    /** In-flight requests by purpose: a newer load replaces an older one, and leaving the page ends them all. */
    requests = new Map();

    connectedCallback() {
      this.listening = new AbortController();
      this.strings = JSON.parse(this.querySelector("[data-strings]")?.textContent || "{}");
      this.locale = this.dataset.locale || document.documentElement.lang || "en";
      this.addEventListener("click", this.onClick, { signal: this.listening.signal });
      this.addEventListener("submit", this.onBirthday, { signal: this.listening.signal });
      this.load();
    }

    disconnectedCallback() {
      this.listening.abort();
      const pending = [...this.requests.values()];
      this.requests.clear();
      for (const controller of pending) controller.abort();
    }

    /**
     * One request to the app proxy; null once a newer one of the same purpose (or leaving the
     * page) replaced it. Given up after 15 s, as a request that never answers would otherwise
     * leave the block waiting until the browser gives up.
     * @param {string} purpose @param {object} [body] @returns {Promise<ProxyReply<any> | null>}
     */
    async call(purpose, body) {
      this.requests.get(purpose)?.abort();
      const controller = new AbortController();
      this.requests.set(purpose, controller);
      const current = () => this.requests.get(purpose) === controller;
      const timer = setTimeout(() => controller.abort(), 15e3);
      try {
        const response = await fetch(
          body ? this.dataset.endpoint || "" : `${this.dataset.endpoint}?locale=${encodeURIComponent(this.locale)}`,
          {
            method: body ? "POST" : "GET",
            headers: body
              ? { "Content-Type": "application/json", Accept: "application/json" }
              : { Accept: "application/json" },
            body: body && JSON.stringify(body),
            signal: controller.signal,
          },
        );
        const json = await response.json().catch(() => ({}));
        return current()
          ? /** @type {ProxyReply<any>} */ ({ ok: response.ok, status: response.status, body: json })
          : null;
      } catch (error) {
        if (!current()) return null;
        throw error;
      } finally {
        clearTimeout(timer);
        if (current()) this.requests.delete(purpose);
      }
    }

    /** @param {string} name */
    slot$(name) {
      return find(this, `[data-slot="${name}"]`);
    }

    /** @param {string} [text] */
    say(text) {
      const status = this.querySelector("[data-status]");
      if (status) status.textContent = text || "";
    }

    /** @param {number} n */
    number(n) {
      return new Intl.NumberFormat(this.locale).format(n);
    }

    /**
     * A counted phrase in the form the language's plural rules call for ("1 point", "5 points"),
     * its count in the page's digits.
     * @param {string | Record<string, string>} forms @param {number} n
     */
    count(forms, n) {
      const text =
        typeof forms === "string" ? forms : forms[new Intl.PluralRules(this.locale).select(n)] || forms.other;
      return text.replace("__N__", this.number(n));
    }

    /** @param {number} minor @param {string} currency */
    money(minor, currency) {
      const digits =
        new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
      return new Intl.NumberFormat(this.locale, { style: "currency", currency }).format(minor / 10 ** digits);
    }

    /** @param {string} iso */
    date(iso) {
      return new Intl.DateTimeFormat(this.locale, { dateStyle: "medium" }).format(new Date(iso));
    }

    /** The balance as it is now: a newer load (after a redemption) replaces an older one still on its way. */
    async load() {
      try {
        /** @type {ProxyReply<LoyaltySummary> | null} */
        const answer = await this.call("load");
        if (!answer) return;
        this.reveal();
        if (!answer.ok) return this.say(this.refusal(answer));
        this.data = answer.body;
        this.render();
        this.say("");
      } catch {
        // A network failure's own text ("Failed to fetch") means nothing to a shopper.
        this.reveal();
        this.say(this.strings.error);
      }
    }

    /** Shows what the answer filled, all at once, in the space held for it. */
    reveal() {
      find(this, "[data-body]").hidden = false;
      // Waiting is over, answer or not: a list left busy would be skipped by screen readers for good.
      this.slot$("rewards").setAttribute("aria-busy", "false");
    }

    /**
     * Known refusals in the shopper's language. The server's English only for a refusal the block
     * has no words for; a 429 or a 5xx (often not even the app's JSON) gets the block's own.
     * @param {{ status: number, body: ProxyRefusal }} answer
     */
    refusal({ status, body }) {
      const known = /** @type {string | undefined} */ (this.strings[body.error || ""]);
      return known || (status < 429 && body.message) || this.strings.error;
    }

    /** A reward's cost in the program's name for its points ("500 stars"). @param {{ pointsCost: number }} reward */
    costText(reward) {
      const named = this.data?.program.currencyName;
      const text = this.count(this.strings.points, reward.pointsCost);
      return named ? text.replace(this.strings.pointsName, named) : text;
    }

    render() {
      const { program, rewards, member } = this.data;
      const pointsName = program.currencyName || this.strings.pointsName;
      const currency = program.currency;
      const list = this.slot$("rewards");
      const template = find(this, 'template[data-template="reward"]');
      list.replaceChildren();
      for (const reward of rewards) {
        const item = copy(template);
        find(item, '[data-slot="title"]').textContent = reward.title;
        find(item, '[data-slot="cost"]').textContent = this.costText(reward);
        find(item, '[data-slot="minimum"]').textContent = reward.minimumOrderMinor
          ? this.strings.minimum.replace("__A__", this.money(reward.minimumOrderMinor, currency))
          : "";
        /** @type {HTMLButtonElement | null} */
        const button = item.querySelector('[data-action="redeem"]');
        if (button) {
          button.dataset.rewardId = reward.id;
          const affordable = Boolean(member && member.balance >= reward.pointsCost);
          button.disabled = !affordable;
          if (!affordable) button.title = this.strings.notEnough;
          button.setAttribute("aria-label", `${button.textContent?.trim()}: ${reward.title}`);
        }
        list.append(item);
      }

      if (!member) {
        const ways = this.slot$("ways");
        if (ways) {
          ways.replaceChildren();
          /** @param {string} text */
          const add = (text) => {
            const li = document.createElement("li");
            li.textContent = text;
            ways.append(li);
          };
          add(this.count(this.strings.perUnit, program.pointsPerUnit).replace("__U__", this.money(10 ** 2, currency)));
          if (program.signupBonus) add(this.count(this.strings.signup, program.signupBonus));
          if (program.birthdayBonus) add(this.count(this.strings.birthday, program.birthdayBonus));
          if (program.pendingDays) add(this.count(this.strings.pendingNote, program.pendingDays));
        }
        return;
      }

      find(this, "[data-member]").hidden = false;
      this.slot$("balance").textContent = this.number(member.balance);
      this.slot$("pending").textContent = this.number(member.pending);
      this.slot$("currency-name").textContent = pointsName;
      const unlocks = this.slot$("unlocks");
      unlocks.replaceChildren(
        ...member.unlocks.map((u) => {
          const li = document.createElement("li");
          li.textContent = `${this.number(u.points)} · ${this.strings.unlocks} ${this.date(u.availableAt)}`;
          return li;
        }),
      );
      if (program.tiers.length) {
        this.slot$("tier-box").hidden = false;
        /** @param {string | null} key */
        const tierName = (key) => program.tiers.find((t) => t.key === key)?.name ?? "—";
        this.slot$("tier").textContent = tierName(member.tier);
        /** @type {HTMLProgressElement} */ (this.slot$("progress")).value = Math.round(member.progress * 100);
        this.slot$("next").textContent = member.nextTier
          ? this.strings.nextTier
              .replace("__A__", this.money(member.remainingMinor, currency))
              .replace("__T__", tierName(member.nextTier))
          : this.strings.topTier;
      }
      /** @type {LoyaltyBirthdayForm | null} */
      const birthday = this.querySelector("[data-birthday]");
      if (birthday) {
        birthday.hidden = !program.birthdayBonus || member.birthdaySaved;
        // The birthday is stored as a Gregorian month and day, so the picker names Gregorian months
        // in the shopper's language (Persian's own calendar would name other months: a wrong date saved).
        const months = new Intl.DateTimeFormat(`${this.locale}-u-ca-gregory`, { month: "long", timeZone: "UTC" });
        for (const option of birthday.month.options)
          option.textContent = months.format(Date.UTC(2024, Number(option.value) - 1, 1));
      }
      const codes = this.slot$("codes");
      if (codes) {
        const issued = member.redemptions.filter((r) => r.code);
        /** @type {HTMLElement} */ (codes.closest("[data-codes]")).hidden = !issued.length;
        codes.replaceChildren(
          ...issued.map((r) => {
            const row = copy(find(this, 'template[data-template="code"]'));
            this.showCode(row, r.code || "", r.checkoutUrl);
            find(row, '[data-slot="title"]').textContent = r.title;
            return row;
          }),
        );
      }
      const expires = this.slot$("expires");
      expires.hidden = !member.expiresAt;
      if (member.expiresAt) {
        expires.textContent = this.strings.expires.replace("__D__", this.date(member.expiresAt));
      }
      const history = this.slot$("history");
      if (history) {
        history.replaceChildren();
        if (!member.history.length) {
          const li = document.createElement("li");
          li.textContent = this.strings.emptyHistory;
          history.append(li);
        }
        for (const h of member.history) {
          const li = document.createElement("li");
          const label = document.createElement("span");
          label.textContent = this.date(h.at);
          // The order name or reward title is isolated so "$5 off" stays whole on a Persian page.
          if (h.label) label.append(" · ", Object.assign(document.createElement("bdi"), { textContent: h.label }));
          const points = document.createElement("strong");
          points.dir = "ltr";
          points.textContent = `${h.points > 0 ? "+" : ""}${this.number(h.points)}`;
          li.append(label, points);
          history.append(li);
        }
      }
    }

    /** @param {HTMLElement} box @param {string} code @param {string | null} checkoutUrl */
    showCode(box, code, checkoutUrl) {
      find(box, '[data-slot="code"]').textContent = code;
      /** @type {HTMLAnchorElement} */ (find(box, '[data-slot="apply"]')).href = checkoutUrl || "#";
      // Named by what it shows, then the code ("コードをコピー AC-…"): the name holds the visible words.
      find(box, '[data-action="copy"]').setAttribute("aria-label", `${this.strings.copy} ${code}`);
    }

    /** @param {Event} event */
    onBirthday = async (event) => {
      /** @type {LoyaltyBirthdayForm | null} */
      const form = /** @type {Element} */ (event.target).closest("[data-birthday]");
      if (!form) return;
      event.preventDefault();
      /** @type {HTMLInputElement} */
      const dayField = find(form, '[name="day"]');
      const month = Number(/** @type {HTMLSelectElement} */ (find(form, '[name="month"]')).value);
      const day = Number(dayField.value);
      // Any year's days, 29 February included; said in the block's language, not the browser's.
      const valid = Number.isInteger(day) && day >= 1 && day <= new Date(Date.UTC(2024, month, 0)).getUTCDate();
      dayField.setCustomValidity(valid ? "" : this.strings.invalidDay);
      if (valid) dayField.removeAttribute("aria-invalid");
      else dayField.setAttribute("aria-invalid", "true");
      if (!valid) {
        dayField.focus();
        return this.say(this.strings.invalidDay);
      }
      /** @type {HTMLButtonElement} */
      const button = find(form, "button");
      button.disabled = true;
      try {
        const answer = await this.call("birthday", {
          intent: "birthday",
          month,
          day,
        });
        if (!answer) return;
        if (!answer.ok) return this.say(this.refusal(answer));
        form.hidden = true;
        this.say(this.strings.birthdaySaved);
      } catch {
        this.say(this.strings.error);
      } finally {
        button.disabled = false;
      }
    };

    /** @param {Event} event */
    onClick = async (event) => {
      /** @type {HTMLButtonElement | null} */
      const target = /** @type {Element} */ (event.target).closest("[data-action]");
      if (!target) return;
      if (target.dataset.action === "copy") {
        const code = find(/** @type {Element} */ (target.closest("[data-code-box]")), '[data-slot="code"]');
        try {
          await navigator.clipboard.writeText(code.textContent || "");
          target.textContent = this.strings.copied;
          target.setAttribute("aria-label", `${this.strings.copied} ${code.textContent}`);
        } catch {
          const range = document.createRange();
          range.selectNodeContents(code);
          getSelection()?.removeAllRanges();
          getSelection()?.addRange(range);
        }
        return;
      }
      if (target.dataset.action === "redeem") return this.ask(target);
      if (target.dataset.action === "cancel" || target.dataset.action === "confirm") {
        const button = this.asked;
        this.asked = null;
        /** @type {HTMLDialogElement} */ (find(this, "[data-confirm]")).close();
        if (button && target.dataset.action === "confirm") await this.redeem(button);
        else button?.focus();
      }
    };

    /** @type {HTMLButtonElement | null} the reward's button while its confirmation is open */
    asked = null;

    /**
     * Redeeming spends points: the shopper confirms the reward and its cost first.
     * @param {HTMLButtonElement} button
     */
    ask(button) {
      const dialog = /** @type {HTMLDialogElement} */ (find(this, "[data-confirm]"));
      const reward = this.data?.rewards.find((r) => r.id === button.dataset.rewardId);
      const cost = reward ? this.costText(reward) : "";
      // The title isolated, so "$5 off" reads whole inside a Persian question.
      const title = Object.assign(document.createElement("bdi"), { textContent: reward?.title || "" });
      const [before, after = ""] = this.strings.confirmRedeem.split("__R__");
      find(dialog, '[data-slot="confirm"]').replaceChildren(
        before.replace("__P__", cost),
        title,
        after.replace("__P__", cost),
      );
      this.asked = button;
      dialog.showModal();
    }

    /** @param {HTMLButtonElement} button the reward's button */
    async redeem(button) {
      const target = button;
      const rewardId = target.dataset.rewardId;
      target.disabled = true;
      try {
        /** @type {ProxyReply<LoyaltyRedeemed> | null} */
        const answer = await this.call(`redeem ${rewardId}`, { intent: "redeem", rewardId });
        if (!answer) return;
        if (!answer.ok) {
          this.say(this.refusal(answer));
          target.disabled = false;
          return;
        }
        const { redemption } = answer.body;
        const box = find(this, "[data-code]");
        // A failed reload says so itself; the code below is issued either way.
        await this.load();
        if (redemption.code) {
          this.showCode(box, redemption.code, redemption.checkoutUrl);
          find(box, '[data-action="copy"]').textContent = this.strings.copy;
          box.hidden = false;
          box.focus();
        }
      } catch {
        this.say(this.strings.error);
        target.disabled = false;
      }
    }
  }

  customElements.define("aftercare-loyalty", AftercareLoyalty);
})();
