/**
 * <aftercare-loyalty>: fills the Rewards block rendered by blocks/loyalty-widget.liquid from
 * /apps/aftercare/loyalty and redeems rewards. Every word comes from the Liquid (data-strings);
 * the app proxy identifies the shopper, so nothing here says who they are.
 */
(() => {
  if (customElements.get("aftercare-loyalty")) return;

  class AftercareLoyalty extends HTMLElement {
    connectedCallback() {
      this.abort = new AbortController();
      this.strings = JSON.parse(this.querySelector("[data-strings]")?.textContent || "{}");
      this.loggedIn = this.dataset.loggedIn === "true";
      this.locale = this.dataset.locale || document.documentElement.lang || "en";
      this.addEventListener("click", this.onClick, { signal: this.abort.signal });
      this.addEventListener("submit", this.onBirthday, { signal: this.abort.signal });
      this.load();
    }

    disconnectedCallback() {
      this.abort?.abort();
      this.loading?.abort();
    }

    slot$(name) {
      return this.querySelector(`[data-slot="${name}"]`);
    }

    say(text) {
      const status = this.querySelector("[data-status]");
      if (status) status.textContent = text || "";
    }

    number(n) {
      return new Intl.NumberFormat(this.locale).format(n);
    }

    money(minor, currency) {
      const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
      return new Intl.NumberFormat(this.locale, { style: "currency", currency }).format(minor / 10 ** digits);
    }

    date(iso) {
      return new Intl.DateTimeFormat(this.locale, { dateStyle: "medium" }).format(new Date(iso));
    }

    /** The balance as it is now: a newer load (after a redemption) replaces an older one still on its way. */
    async load() {
      this.loading?.abort();
      const controller = (this.loading = new AbortController());
      try {
        const url = `${this.dataset.endpoint}?locale=${encodeURIComponent(this.locale)}`;
        const response = await fetch(url, { headers: { Accept: "application/json" }, signal: controller.signal });
        const data = await response.json().catch(() => ({}));
        if (controller !== this.loading) return;
        if (!response.ok) return this.say(this.refusal(data));
        this.data = data;
        this.render();
        this.say("");
      } catch (error) {
        // A network failure's own text ("Failed to fetch") means nothing to a shopper.
        if (controller === this.loading && error.name !== "AbortError") this.say(this.strings.error);
      }
    }

    /** Known refusals are worded in the shopper's language; the server's text is a fallback. */
    refusal(data) {
      return this.strings[data.error] || data.message || this.strings.error;
    }

    rewardText(reward) {
      return this.strings.points.replace("__N__", this.number(reward.pointsCost));
    }

    render() {
      const { program, rewards, member } = this.data;
      const pointsName = program.currencyName || this.strings.pointsName;
      const currency = program.currency;
      const list = this.slot$("rewards");
      const template = this.querySelector('template[data-template="reward"]');
      list.replaceChildren();
      for (const reward of rewards) {
        const item = template.content.firstElementChild.cloneNode(true);
        item.querySelector('[data-slot="title"]').textContent = reward.title;
        item.querySelector('[data-slot="cost"]').textContent = this.rewardText(reward).replace(this.strings.pointsName, pointsName);
        item.querySelector('[data-slot="minimum"]').textContent = reward.minimumOrderMinor ? this.strings.minimum.replace("__A__", this.money(reward.minimumOrderMinor, currency)) : "";
        const button = item.querySelector('[data-action="redeem"]');
        if (button) {
          button.dataset.rewardId = reward.id;
          const affordable = member && member.balance >= reward.pointsCost;
          button.disabled = !affordable;
          if (!affordable) button.title = this.strings.notEnough;
          button.setAttribute("aria-label", `${button.textContent.trim()}: ${reward.title}`);
        }
        list.append(item);
      }
      list.setAttribute("aria-busy", "false");

      if (!member) {
        const ways = this.slot$("ways");
        if (ways) {
          ways.replaceChildren();
          const add = (text) => {
            const li = document.createElement("li");
            li.textContent = text;
            ways.append(li);
          };
          add(this.strings.perUnit.replace("__N__", this.number(program.pointsPerUnit)).replace("__U__", this.money(10 ** 2, currency)));
          if (program.signupBonus) add(this.strings.signup.replace("__N__", this.number(program.signupBonus)));
          if (program.birthdayBonus) add(this.strings.birthday.replace("__N__", this.number(program.birthdayBonus)));
          if (program.pendingDays) add(this.strings.pendingNote.replace("__N__", this.number(program.pendingDays)));
        }
        return;
      }

      this.querySelector("[data-member]").hidden = false;
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
        const tierName = (key) => program.tiers.find((t) => t.key === key)?.name ?? "—";
        this.slot$("tier").textContent = tierName(member.tier);
        this.slot$("progress").value = Math.round(member.progress * 100);
        this.slot$("next").textContent = member.nextTier
          ? this.strings.nextTier.replace("__A__", this.money(member.remainingMinor, currency)).replace("__T__", tierName(member.nextTier))
          : this.strings.topTier;
      }
      const birthday = this.querySelector("[data-birthday]");
      if (birthday) {
        birthday.hidden = !program.birthdayBonus || member.birthdaySaved;
        const months = new Intl.DateTimeFormat(this.locale, { month: "long", timeZone: "UTC" });
        for (const option of birthday.month.options) option.textContent = months.format(Date.UTC(2024, option.value - 1, 1));
      }
      const codes = this.slot$("codes");
      if (codes) {
        const issued = member.redemptions.filter((r) => r.code);
        codes.closest("[data-codes]").hidden = !issued.length;
        codes.replaceChildren(
          ...issued.map((r) => {
            const row = this.querySelector('template[data-template="code"]').content.firstElementChild.cloneNode(true);
            this.showCode(row, r.code, r.checkoutUrl);
            row.querySelector('[data-slot="title"]').textContent = r.title;
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

    showCode(box, code, checkoutUrl) {
      box.querySelector('[data-slot="code"]').textContent = code;
      box.querySelector('[data-slot="apply"]').href = checkoutUrl;
      box.querySelector('[data-action="copy"]').setAttribute("aria-label", this.strings.copyLabel.replace("__C__", code));
    }

    onBirthday = async (event) => {
      const form = event.target.closest("[data-birthday]");
      if (!form) return;
      event.preventDefault();
      const button = form.querySelector("button");
      button.disabled = true;
      try {
        const response = await fetch(this.dataset.endpoint, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ intent: "birthday", month: Number(form.month.value), day: Number(form.day.value) }),
          signal: this.abort.signal,
        });
        const data = await response.json().catch(() => ({}));
        if (!response.ok) return this.say(this.refusal(data));
        form.hidden = true;
        this.say(this.strings.birthdaySaved);
      } catch (error) {
        if (error.name !== "AbortError") this.say(this.strings.error);
      } finally {
        button.disabled = false;
      }
    };

    onClick = async (event) => {
      const target = event.target.closest("[data-action]");
      if (!target) return;
      if (target.dataset.action === "copy") {
        const code = target.closest("[data-code-box]").querySelector('[data-slot="code"]');
        try {
          await navigator.clipboard.writeText(code.textContent);
          target.textContent = this.strings.copied;
        } catch {
          const range = document.createRange();
          range.selectNodeContents(code);
          getSelection().removeAllRanges();
          getSelection().addRange(range);
        }
        return;
      }
      if (target.dataset.action === "redeem") {
        target.disabled = true;
        try {
          const response = await fetch(this.dataset.endpoint, {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify({ intent: "redeem", rewardId: target.dataset.rewardId }),
            signal: this.abort.signal,
          });
          const data = await response.json().catch(() => ({}));
          if (!response.ok) {
            this.say(this.refusal(data));
            target.disabled = false;
            return;
          }
          const { redemption } = data;
          const box = this.querySelector("[data-code]");
          // A failed reload says so itself; the code below is issued either way.
          await this.load();
          if (redemption.code) {
            this.showCode(box, redemption.code, redemption.checkoutUrl);
            box.querySelector('[data-action="copy"]').textContent = this.strings.copy;
            box.hidden = false;
            box.focus();
          }
        } catch (error) {
          if (error.name === "AbortError") return;
          this.say(this.strings.error);
          target.disabled = false;
        }
      }
    };
  }

  customElements.define("aftercare-loyalty", AftercareLoyalty);
})();
