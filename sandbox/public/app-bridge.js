/*
 * A local stand-in for Shopify's App Bridge (https://cdn.shopify.com/shopifycloud/app-bridge.js),
 * loaded by the embedded app when APP_BRIDGE_URL points here (development and tests only).
 * It speaks to the sandbox's admin frame (sandbox/pages/admin.ts) the way App Bridge speaks to
 * the Shopify admin: session tokens come from the host frame, and the app's navigation menu,
 * title bar, save bar and toasts are drawn by the host, outside the iframe.
 */
(function () {
  if (window.shopify && window.shopify.__sandbox) return;

  const script = document.currentScript;
  const apiKey = (script && script.getAttribute("data-api-key")) || "";
  const sandboxOrigin = script ? new URL(script.src).origin : location.origin;
  const params = new URLSearchParams(location.search);
  const shop = params.get("shop") || sessionStorage.getItem("aftercare-sandbox-shop") || "";
  const host = params.get("host") || sessionStorage.getItem("aftercare-sandbox-host") || "";
  if (shop) sessionStorage.setItem("aftercare-sandbox-shop", shop);
  if (host) sessionStorage.setItem("aftercare-sandbox-host", host);
  const framed = window.parent !== window;
  const pending = {};
  let seq = 0;

  function post(type, payload) {
    if (framed) window.parent.postMessage({ source: "aftercare-app-bridge", type, payload }, sandboxOrigin);
  }

  // waitMs: how long the host frame has to answer; none for questions a person answers (a picker).
  function ask(type, payload, waitMs) {
    return new Promise(function (resolve, reject) {
      const id = String(++seq);
      pending[id] = { resolve, reject };
      post(type, { requestId: id, ...(payload || {}) });
      if (waitMs === null) return;
      setTimeout(function () {
        if (!pending[id]) return;
        delete pending[id];
        reject(new Error(`The admin frame did not answer ${type}`));
      }, waitMs || 5000);
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== sandboxOrigin || !event.data || event.data.source !== "aftercare-admin") return;
    const data = event.data;
    if (data.requestId && pending[data.requestId]) {
      const p = pending[data.requestId];
      delete pending[data.requestId];
      if (data.error) p.reject(new Error(data.error));
      else p.resolve(data.payload);
      return;
    }
    if (data.type === "navigate") navigateTo(data.payload.href);
    if (data.type === "save-bar-action") clickSaveBarButton(data.payload.id, data.payload.action);
    if (data.type === "title-bar-action") clickTitleBarButton(data.payload.index);
  });

  /** A fresh session token, minted by the host frame as the Shopify admin does. */
  function idToken() {
    if (framed) return ask("id-token", { shop, apiKey });
    // Opened outside the admin frame (a test or a developer): ask the sandbox directly.
    return fetch(
      `${sandboxOrigin}/admin/session-token?shop=${encodeURIComponent(shop)}&api_key=${encodeURIComponent(apiKey)}`,
    )
      .then(function (r) {
        if (!r.ok) throw new Error(`The sandbox refused a session token: ${r.status}`);
        return r.json();
      })
      .then(function (body) {
        return body.token;
      });
  }

  // App Bridge adds the session token to the app's own fetch requests.
  const originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    const url = new URL(typeof input === "string" ? input : input.url || String(input), location.href);
    if (url.origin !== location.origin) return originalFetch(input, init);
    return idToken().then(function (token) {
      const headers = new Headers((init && init.headers) || (typeof input !== "string" && input.headers) || undefined);
      if (!headers.has("Authorization")) headers.set("Authorization", `Bearer ${token}`);
      return originalFetch(input, { ...init, headers });
    });
  };

  // The "bounce" page: the app asks for a token and a reload with it (shopify-app-remix).
  const reload = params.get("shopify-reload");
  if (reload) {
    idToken()
      .then(function (token) {
        const target = new URL(reload, location.href);
        target.searchParams.set("id_token", token);
        location.replace(target.href);
      })
      .catch(function (error) {
        console.error("[app-bridge] no session token for the reload", error);
      });
  }

  function navigateTo(href) {
    let anchor = document.querySelector(`ui-nav-menu a[href="${href}"]`);
    if (!anchor) {
      anchor = document.createElement("a");
      anchor.setAttribute("href", href);
      anchor.hidden = true;
      document.body.appendChild(anchor);
    }
    anchor.dispatchEvent(new CustomEvent("shopify:navigate", { bubbles: true, composed: true }));
  }

  // Report where the app is, so the host can highlight the menu and keep its address bar right.
  function reportLocation() {
    post("location", { pathname: location.pathname, search: location.search });
  }
  const pushState = history.pushState;
  history.pushState = function (...args) {
    pushState.apply(history, args);
    reportLocation();
  };
  const replaceState = history.replaceState;
  history.replaceState = function (...args) {
    replaceState.apply(history, args);
    reportLocation();
  };
  window.addEventListener("popstate", reportLocation);

  function buttonsOf(el) {
    return Array.prototype.map.call(el.querySelectorAll("button"), function (b, index) {
      return {
        index,
        label: (b.textContent || "").trim(),
        variant: b.getAttribute("variant") || "",
        disabled: b.disabled,
      };
    });
  }

  function defineElement(name, cls) {
    if (!customElements.get(name)) customElements.define(name, cls);
  }

  function observed(onChange) {
    return class extends HTMLElement {
      connectedCallback() {
        this.style.display = "none";
        const self = this;
        this._observer = new MutationObserver(function () {
          onChange(self);
        });
        this._observer.observe(this, { subtree: true, childList: true, attributes: true, characterData: true });
        onChange(this);
      }

      disconnectedCallback() {
        if (this._observer) this._observer.disconnect();
        onChange(this, true);
      }
    };
  }

  defineElement(
    "ui-nav-menu",
    observed(function (el, gone) {
      if (gone) return;
      const items = Array.prototype.map.call(el.querySelectorAll("a"), function (a) {
        return {
          href: a.getAttribute("href"),
          label: (a.textContent || "").trim(),
          home: a.getAttribute("rel") === "home",
        };
      });
      post("nav-menu", { items });
    }),
  );

  let titleBar = null;
  defineElement(
    "ui-title-bar",
    observed(function (el, gone) {
      titleBar = gone ? null : el;
      post("title-bar", gone ? null : { title: el.getAttribute("title") || "", buttons: buttonsOf(el) });
    }),
  );
  function clickTitleBarButton(index) {
    const button = titleBar && titleBar.querySelectorAll("button")[index];
    if (button) button.click();
  }

  const saveBars = {};
  function reportSaveBar(el) {
    post("save-bar", { id: el.id, open: el.__open === true, buttons: buttonsOf(el) });
  }
  // <ui-save-bar>: the React SaveBar calls show()/hide() on the element and listens for its
  // show/hide events, as it does with Shopify's.
  defineElement(
    "ui-save-bar",
    class extends HTMLElement {
      connectedCallback() {
        this.style.display = "none";
        saveBars[this.id] = this;
        const self = this;
        this._observer = new MutationObserver(function () {
          if (self.__open) reportSaveBar(self);
        });
        this._observer.observe(this, { subtree: true, childList: true, attributes: true, characterData: true });
        if (this.hasAttribute("open")) this.show();
      }

      disconnectedCallback() {
        if (this._observer) this._observer.disconnect();
        delete saveBars[this.id];
        if (this.__open) post("save-bar", { id: this.id, open: false, buttons: [] });
        this.__open = false;
      }

      get showing() {
        return this.__open === true;
      }

      show() {
        if (this.__open) return Promise.resolve();
        this.__open = true;
        reportSaveBar(this);
        this.dispatchEvent(new CustomEvent("show"));
        return Promise.resolve();
      }

      hide() {
        if (!this.__open) return Promise.resolve();
        this.__open = false;
        reportSaveBar(this);
        this.dispatchEvent(new CustomEvent("hide"));
        return Promise.resolve();
      }

      toggle() {
        return this.__open ? this.hide() : this.show();
      }
    },
  );
  function clickSaveBarButton(id, action) {
    const el = saveBars[id];
    if (!el) return;
    const buttons = el.querySelectorAll("button");
    const primary = el.querySelector('button[variant="primary"]') || buttons[0];
    const other = Array.prototype.find.call(buttons, function (b) {
      return b !== primary;
    });
    const target = action === "save" ? primary : other;
    if (target) target.click();
  }

  defineElement(
    "ui-modal",
    class extends HTMLElement {
      connectedCallback() {
        this.style.display = "none";
      }

      get showing() {
        return this.hasAttribute("open");
      }

      show() {
        this.style.display = "block";
        this.setAttribute("open", "");
        this.dispatchEvent(new CustomEvent("show"));
        return Promise.resolve();
      }

      hide() {
        this.style.display = "none";
        this.removeAttribute("open");
        this.dispatchEvent(new CustomEvent("hide"));
        return Promise.resolve();
      }

      toggle() {
        return this.showing ? this.hide() : this.show();
      }
    },
  );

  window.shopify = {
    __sandbox: true,
    config: { apiKey, shop, host, locale: "en" },
    origin: sandboxOrigin,
    environment: { embedded: framed, mobile: false, pos: false },
    idToken,
    toast: {
      show(message, options) {
        post("toast", { message: String(message), isError: Boolean(options && options.isError) });
        return String(++seq);
      },
      hide() {
        // The host frame removes each toast by itself after five seconds.
      },
    },
    loading(on) {
      post("loading", { on: on !== false });
    },
    saveBar: {
      show(id) {
        const el = document.getElementById(id);
        return el && el.show ? el.show() : Promise.resolve();
      },
      hide(id) {
        const el = document.getElementById(id);
        return el && el.hide ? el.hide() : Promise.resolve();
      },
      toggle(id) {
        const el = document.getElementById(id);
        return el && el.toggle ? el.toggle() : Promise.resolve();
      },
      leaveConfirmation() {
        return Promise.resolve();
      },
    },
    modal: {
      show(id) {
        const el = document.getElementById(id);
        if (el && el.show) el.show();
        return Promise.resolve();
      },
      hide(id) {
        const el = document.getElementById(id);
        if (el && el.hide) el.hide();
        return Promise.resolve();
      },
    },
    // Products or collections of the sandbox shop; what the app already chose starts checked.
    resourcePicker(options) {
      const selected = ((options && options.selectionIds) || []).map(function (s) {
        return s.id;
      });
      return ask(
        "resource-picker",
        {
          type: (options && options.type) || "product",
          multiple: Boolean(options && options.multiple),
          selectionIds: selected,
        },
        null,
      );
    },
    user() {
      return Promise.resolve({ accountAccess: "Account owner" });
    },
  };

  post("ready", { shop });
  reportLocation();
})();
