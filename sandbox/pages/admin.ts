import { escapeHtml, scriptJson } from "./html";

export interface AdminFrameOptions {
  shop: string;
  shopName: string;
  apiKey: string;
  appUrl: string;
  /** Path inside the app to open, e.g. /app/sync. */
  path: string;
  /** The merchant's admin language (Shopify's `locale`, e.g. en, ja, ko, or ko-KR). */
  locale?: string;
  idToken: string;
  host: string;
}

/**
 * A minimal Shopify admin: a top bar, the app's navigation drawn from its <ui-nav-menu>, the app
 * in an iframe with the query Shopify adds (embedded, shop, host, id_token, ...), and the title
 * bar, save bar and toasts the app asks for through App Bridge.
 */
export function adminFramePage(o: AdminFrameOptions): string {
  const src = new URL(o.path, o.appUrl);
  src.searchParams.set("embedded", "1");
  src.searchParams.set("shop", o.shop);
  src.searchParams.set("host", o.host);
  src.searchParams.set("locale", o.locale ?? "en");
  src.searchParams.set("id_token", o.idToken);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(o.shopName)} · Aftercare · Sandbox admin</title>
<style>
  :root { --bg:#f1f1f1; --ink:#303030; --muted:#616161; --line:#e3e3e3; --top:#1a1a1a; }
  * { box-sizing: border-box; }
  body {
    margin:0; font: 14px/1.4 -apple-system, BlinkMacSystemFont, "San Francisco", "Segoe UI", Roboto, sans-serif;
    color:var(--ink); background:var(--bg); height:100vh; display:grid; grid-template-rows:56px 1fr;
    grid-template-columns:240px 1fr;
  }
  header {
    grid-column:1/3; background:var(--top); color:#fff; display:flex; align-items:center; gap:12px; padding:0 16px;
  }
  header .logo { font-weight:700; letter-spacing:.2px; }
  header .badge { font-size:12px; background:#ffd79d; color:#4f3000; border-radius:8px; padding:2px 8px; }
  header .shop { margin-inline-start:auto; color:#e3e3e3; }
  nav { background:#ebebeb; border-inline-end:1px solid var(--line); padding:12px 8px; overflow:auto; }
  nav h2 { font-size:12px; text-transform:uppercase; color:var(--muted); margin:12px 8px 6px; letter-spacing:.4px; }
  nav a { display:block; padding:6px 10px; border-radius:8px; color:var(--ink); text-decoration:none; }
  nav a:hover { background:#e0e0e0; }
  nav a[aria-current="page"] { background:#fff; font-weight:600; }
  nav a:focus-visible { outline:2px solid #005bd3; outline-offset:1px; }
  main { display:grid; grid-template-rows:auto 1fr; min-width:0; }
  .titlebar { display:flex; align-items:center; gap:8px; padding:10px 20px; min-height:48px; }
  .titlebar h1 { font-size:16px; margin:0; }
  .titlebar .actions { margin-inline-start:auto; display:flex; gap:8px; }
  button {
    font:inherit; border-radius:8px; border:1px solid #c9c9c9; background:#fff; padding:6px 12px; cursor:pointer;
  }
  button.primary { background:#303030; color:#fff; border-color:#303030; }
  iframe { border:0; width:100%; height:100%; background:var(--bg); }
  .savebar {
    position:fixed; inset:0 0 auto 0; height:56px; background:#1a1a1a; color:#fff; display:none; align-items:center;
    gap:12px; padding:0 16px; z-index:10;
  }
  .savebar[data-open="true"] { display:flex; }
  .savebar .actions { margin-inline-start:auto; display:flex; gap:8px; }
  .toasts {
    position:fixed; inset:auto 0 24px 0; display:flex; flex-direction:column; align-items:center; gap:8px;
    pointer-events:none; z-index:20;
  }
  .toast {
    background:#1a1a1a; color:#fff; padding:10px 16px; border-radius:10px; box-shadow:0 4px 16px rgba(0,0,0,.2);
  }
  .toast.error { background:#8e1f0b; }
  .loading {
    height:3px; background:linear-gradient(90deg,#005bd3,#7fb2ff); position:fixed; inset:0 0 auto 0; display:none;
    z-index:30;
  }
  .loading[data-on="true"] { display:block; }
  @media (prefers-reduced-motion: no-preference) {
    .toast { animation: rise .2s ease-out; }
    @keyframes rise { from { transform: translateY(8px); opacity:0 } }
  }
</style>
</head>
<body>
<div class="loading" id="loading" role="progressbar" aria-label="Loading"></div>
<header>
  <span class="logo">shopify</span><span class="badge">Sandbox</span>
  <span class="shop">${escapeHtml(o.shopName)} · ${escapeHtml(o.shop)}</span>
</header>
<div class="savebar" id="savebar" role="region" aria-label="Unsaved changes">
  <strong>Unsaved changes</strong>
  <div class="actions">
    <button type="button" id="discard">Discard</button><button type="button" class="primary" id="save">Save</button>
  </div>
</div>
<nav aria-label="Aftercare">
  <h2>Apps</h2>
  <div id="app-nav"><a href="#" aria-current="page">Aftercare</a></div>
</nav>
<main>
  <div class="titlebar"><h1 id="title">Aftercare</h1><div class="actions" id="title-actions"></div></div>
  <iframe id="app" title="Aftercare" src="${escapeHtml(src.href)}"></iframe>
</main>
<div class="toasts" aria-live="polite" id="toasts"></div>
<script>
(function () {
  var config = ${scriptJson({ shop: o.shop, apiKey: o.apiKey, appOrigin: new URL(o.appUrl).origin })};
  var frame = document.getElementById("app");
  var saveBarId = null;
  function send(type, payload, requestId, error) {
    frame.contentWindow.postMessage(
      { source: "aftercare-admin", type: type, payload: payload, requestId: requestId, error: error },
      config.appOrigin
    );
  }
  function toast(message, isError) {
    var el = document.createElement("div");
    el.className = "toast" + (isError ? " error" : "");
    el.textContent = message;
    document.getElementById("toasts").appendChild(el);
    setTimeout(function () { el.remove(); }, 5000);
  }
  document.getElementById("save").onclick = function () {
    if (saveBarId) send("save-bar-action", { id: saveBarId, action: "save" });
  };
  document.getElementById("discard").onclick = function () {
    if (saveBarId) send("save-bar-action", { id: saveBarId, action: "discard" });
  };
  var currentPath = "";
  function markCurrent() {
    document.querySelectorAll("#app-nav a").forEach(function (a) {
      var href = a.getAttribute("data-href");
      var here = href && (
        currentPath === href ||
        (href !== "/app" && currentPath.indexOf(href + "/") === 0) ||
        (a.dataset.home === "true" && currentPath === "/app")
      );
      if (here) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== config.appOrigin || !event.data || event.data.source !== "aftercare-app-bridge") return;
    var d = event.data, p = d.payload || {};
    switch (d.type) {
      case "id-token":
        fetch(
          "/admin/session-token?shop=" + encodeURIComponent(config.shop) +
            "&api_key=" + encodeURIComponent(config.apiKey)
        )
          .then(function (r) { return r.json(); })
          .then(function (b) { send("id-token", b.token, p.requestId); })
          .catch(function (e) { send("id-token", null, p.requestId, String(e)); });
        break;
      case "nav-menu":
        var nav = document.getElementById("app-nav");
        nav.textContent = "";
        (p.items || []).forEach(function (item) {
          var a = document.createElement("a");
          a.href = "/admin?path=" + encodeURIComponent(item.href);
          a.textContent = item.home ? "Aftercare" : item.label;
          a.setAttribute("data-href", item.href);
          a.dataset.home = String(Boolean(item.home));
          if (!item.home) a.style.paddingInlineStart = "22px";
          a.onclick = function (e) { e.preventDefault(); send("navigate", { href: item.href }); };
          nav.appendChild(a);
        });
        markCurrent();
        break;
      case "location":
        currentPath = p.pathname || "";
        markCurrent();
        history.replaceState(null, "", "/admin?path=" + encodeURIComponent(currentPath));
        break;
      case "title-bar":
        document.getElementById("title").textContent = (p && p.title) || "Aftercare";
        document.title = ((p && p.title) || "Aftercare") + " · Sandbox admin";
        var actions = document.getElementById("title-actions");
        actions.textContent = "";
        ((p && p.buttons) || []).forEach(function (b) {
          var button = document.createElement("button");
          button.textContent = b.label;
          if (b.variant === "primary") button.className = "primary";
          button.disabled = b.disabled;
          button.onclick = function () { send("title-bar-action", { index: b.index }); };
          actions.appendChild(button);
        });
        break;
      case "save-bar":
        var bar = document.getElementById("savebar");
        if (p.open) { saveBarId = p.id; bar.dataset.open = "true"; }
        else if (saveBarId === p.id) { saveBarId = null; bar.dataset.open = "false"; }
        break;
      case "toast":
        toast(p.message, p.isError);
        break;
      case "loading":
        document.getElementById("loading").dataset.on = String(p.on);
        break;
      case "resource-picker":
        fetch("/control/api/resources?type=" + encodeURIComponent(p.type || "product"))
          .then(function (r) { return r.json(); })
          .then(function (items) { pick(items, p); })
          .catch(function (e) { send("resource-picker", null, p.requestId, String(e)); });
        break;
    }
  });
  // The resource picker Shopify shows over the admin, reduced to a list with checkboxes.
  function pick(items, p) {
    var dialog = document.createElement("dialog");
    dialog.setAttribute("aria-label", "Select " + (p.type || "product") + "s");
    var already = p.selectionIds || [];
    var list = items.map(function (item, i) {
      return '<label style="display:block;padding:4px 0">' +
        '<input type="' + (p.multiple ? "checkbox" : "radio") + '" name="pick" value="' + i + '"' +
        (already.indexOf(item.id) >= 0 ? " checked" : "") + '> ' +
        item.title.replace(/[<>&]/g, "") + "</label>";
    }).join("");
    dialog.innerHTML = '<form method="dialog" style="min-width:320px">' +
      '<h2 style="font-size:16px">Select ' + (p.type || "product") + '</h2>' +
      '<div style="max-height:50vh;overflow:auto">' + list + '</div>' +
      '<p style="display:flex;gap:8px;justify-content:flex-end">' +
      '<button value="cancel">Cancel</button><button value="ok" class="primary">Select</button></p></form>';
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () {
      var chosen = dialog.returnValue === "ok"
        ? Array.prototype.map.call(dialog.querySelectorAll("input:checked"), function (input) {
          return items[Number(input.value)];
        })
        : undefined;
      send("resource-picker", chosen, p.requestId);
      dialog.remove();
    });
    dialog.showModal();
  }
})();
</script>
</body>
</html>`;
}
